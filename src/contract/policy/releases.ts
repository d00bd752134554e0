/**
 * Released versions of a contract: semver release tags of the git repository, and the contract
 * as it was at a tag, read from git objects (no checkout) and compiled.
 */

import { execFile } from 'node:child_process'
import { compile, type ProtoFile } from '../proto/index.js'
import { gitTree, GitSourceError } from '../source/git.js'
import { readAll } from '../source/compare.js'

export interface SemVer {
  major: number
  minor: number
  patch: number
  prerelease?: string
}

export interface Release {
  tag: string
  version: SemVer
}

/** The semver at the end of a tag (`v1.2.3`, `api/v1.2.3`, `1.2.3-rc.1`); undefined when there is none. */
export function parseVersion(tag: string): SemVer | undefined {
  const match = /(?:^|[^0-9.])(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(tag)
  if (!match) return undefined
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), ...(match[4] !== undefined ? { prerelease: match[4] } : {}) }
}

export function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (a.prerelease === b.prerelease ? 0 : a.prerelease === undefined ? 1 : b.prerelease === undefined ? -1 : a.prerelease < b.prerelease ? -1 : 1)
}

export function formatVersion(version: SemVer): string {
  return `${version.major}.${version.minor}.${version.patch}${version.prerelease !== undefined ? '-' + version.prerelease : ''}`
}

function git(repo: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error) reject(new GitSourceError(`git ${args.join(' ')} failed in ${repo}: ${stderr.trim() || error.message}`))
      else resolve(stdout)
    })
  })
}

export interface ReleaseTagOptions {
  repo: string
  /** git tag glob, e.g. `v*` (default) or `api/v*`. */
  pattern?: string
  /** Only tags whose commit is an ancestor of this ref (e.g. the PR base); default: every tag. */
  mergedInto?: string
}

/** Released versions (pre-releases left out), oldest first. */
export async function releaseTags(options: ReleaseTagOptions): Promise<Release[]> {
  const args = ['tag', '--list', options.pattern ?? 'v*']
  if (options.mergedInto !== undefined) args.push('--merged', options.mergedInto)
  const releases: Release[] = []
  for (const tag of (await git(options.repo, args)).split('\n')) {
    if (!tag) continue
    const version = parseVersion(tag)
    if (version && version.prerelease === undefined) releases.push({ tag, version })
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version))
}

/** Tags that point at `ref` (a release build of HEAD). */
export async function tagsAt(repo: string, ref: string, pattern = 'v*'): Promise<Release[]> {
  const releases: Release[] = []
  for (const tag of (await git(repo, ['tag', '--list', pattern, '--points-at', ref])).split('\n')) {
    const version = tag ? parseVersion(tag) : undefined
    if (version) releases.push({ tag, version })
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version))
}

export interface ReleasedContract {
  release: Release
  files: ProtoFile[]
  /** Compile errors of the released contract as `file:line:col: message` (a release that does not compile proves nothing). */
  errors: string[]
}

/** The contract under `dir` at a release tag, compiled. */
export async function contractAt(repo: string, release: Release, dir = ''): Promise<ReleasedContract> {
  const tree = await gitTree({ repo, ref: `refs/tags/${release.tag}`, dir })
  try {
    const texts = await readAll(tree)
    const result = compile({ read: (path) => texts.get(path) }, { targets: [...texts.keys()] })
    return { release, files: result.files, errors: result.errors.map((error) => error.message) }
  } finally {
    await tree.close()
  }
}

/** The major version a package names with its last component (`acme.pet.v2` → 2, `v1beta1` → 1). */
export function packageMajor(pkg: string): number | undefined {
  const match = /(?:^|\.)v(\d+)(?:(?:alpha|beta|test|p\d)[0-9a-z]*)?$/.exec(pkg)
  return match ? Number(match[1]) : undefined
}
