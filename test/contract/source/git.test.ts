/**
 * The git side of a compare: files of a commit read through one `git cat-file --batch`
 * process, compared against buf reading the same commit (`.git#ref=…`), the error a shallow
 * clone gets, and the changed-file list of a pull request.
 */
import { execFile } from 'node:child_process'
import { cp, mkdtemp, rm, writeFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareTrees } from '../../../src/contract/source/compare.js'
import { changedProtoFiles, gitTree, GitSourceError } from '../../../src/contract/source/git.js'
import { directoryTree } from '../../../src/contract/source/tree.js'
import { bufAvailable, bufBreakingRaw, repoRoot, toBufLine } from '../breaking/oracle.js'

const run = promisify(execFile)
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd })).stdout.trim()
const fixture = path.join(repoRoot, 'test/contract/testdata/breaking/category_package')

describe('git tree', () => {
  let repo: string
  let baseCommit: string
  let headCommit: string

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'release-gate-git-'))
    await git(repo, 'init', '-q', '-b', 'main')
    await git(repo, 'config', 'user.email', 'test@example.com')
    await git(repo, 'config', 'user.name', 'test')
    await git(repo, 'config', 'commit.gpgsign', 'false')
    await cp(path.join(fixture, 'base'), path.join(repo, 'proto'), { recursive: true })
    await writeFile(path.join(repo, 'README.md'), 'not a proto file\n')
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-q', '-m', 'base')
    baseCommit = await git(repo, 'rev-parse', 'HEAD')
    await rm(path.join(repo, 'proto'), { recursive: true })
    await cp(path.join(fixture, 'head'), path.join(repo, 'proto'), { recursive: true })
    await git(repo, 'add', '-A')
    await git(repo, 'commit', '-q', '-m', 'head')
    headCommit = await git(repo, 'rev-parse', 'HEAD')
  })

  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true })
  })

  it('lists the .proto files of a commit relative to the module directory and reads their committed text', async () => {
    const tree = await gitTree({ repo, ref: baseCommit, dir: 'proto' })
    try {
      expect(await tree.list()).toEqual(['acme/pet/v1/pet.proto', 'acme/store/v1beta1/store.proto'])
      const committed = await git(repo, 'show', `${baseCommit}:proto/acme/pet/v1/pet.proto`)
      expect((await tree.read('acme/pet/v1/pet.proto'))?.trim()).toBe(committed)
      expect(await tree.read('acme/pet/v1/missing.proto')).toBeUndefined()
    } finally {
      await tree.close()
    }
  })

  it('reads every file through a single long-lived git cat-file process', async () => {
    const tree = await gitTree({ repo, ref: headCommit, dir: 'proto' })
    const catFiles = async () => {
      const { stdout } = await run('ps', ['-o', 'args=', '--ppid', String(process.pid)])
      return stdout.split('\n').filter((line) => line.includes('cat-file')).length
    }
    const paths = await tree.list()
    const texts = await Promise.all([...paths, ...paths, ...paths].map((file) => tree.read(file)))
    expect(texts.every((text) => text !== undefined && text.includes('syntax'))).toBe(true)
    expect(await catFiles()).toBe(1)
    await tree.close()
    expect(await catFiles()).toBe(0)
  })

  it.skipIf(!bufAvailable)('gives the same findings as buf reading the base from git', async () => {
    const base = await gitTree({ repo, ref: baseCommit, dir: 'proto' })
    const options = { use: ['PACKAGE', 'WIRE_JSON'] }
    try {
      const ours = await compareTrees(directoryTree(path.join(repo, 'proto')), base, options)
      const buf = await bufBreakingRaw(path.join(repo, 'proto'), [
        '--against',
        `../.git#ref=${baseCommit},subdir=proto`,
        '--config',
        JSON.stringify({ version: 'v2', breaking: options })
      ])
      expect(buf.length).toBeGreaterThan(5)
      expect(ours.findings.map(toBufLine)).toEqual(buf)
    } finally {
      await base.close()
    }
  })

  it('explains how to fetch a base commit that a shallow clone lacks', async () => {
    const clone = await mkdtemp(path.join(tmpdir(), 'release-gate-shallow-'))
    try {
      await run('git', ['clone', '-q', '--depth', '1', `file://${repo}`, clone])
      const error = await gitTree({ repo: clone, ref: baseCommit, dir: 'proto' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GitSourceError)
      expect((error as Error).message).toContain('shallow')
      expect((error as Error).message).toContain('fetch-depth: 0')
      expect((error as Error).message).toContain(`git fetch origin ${baseCommit} --depth=`)
    } finally {
      await rm(clone, { recursive: true, force: true })
    }
  })

  it('names the missing ref of a full clone', async () => {
    await expect(gitTree({ repo, ref: 'no-such-branch' })).rejects.toThrow(/"no-such-branch" does not name a commit/)
  })

  it('lists changed files with renames split into the old and the new path', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'release-gate-changed-'))
    try {
      await run('git', ['clone', '-q', repo, work])
      await git(work, 'config', 'user.email', 'test@example.com')
      await git(work, 'config', 'user.name', 'test')
      await git(work, 'config', 'commit.gpgsign', 'false')
      await git(work, 'checkout', '-q', '-b', 'feature')
      await rename(path.join(work, 'proto/acme/store/v1beta1/store.proto'), path.join(work, 'proto/acme/store/v1beta1/shop.proto'))
      await git(work, 'add', '-A')
      await git(work, 'commit', '-q', '-m', 'rename')
      await writeFile(path.join(work, 'proto/acme/new.proto'), 'syntax = "proto3";\npackage acme;\n')
      const committed = await changedProtoFiles({ repo: work, base: 'main', head: 'feature', dir: 'proto' })
      expect(committed).toEqual(['acme/store/v1beta1/shop.proto', 'acme/store/v1beta1/store.proto'])
      const workingTree = await changedProtoFiles({ repo: work, base: 'main', dir: 'proto' })
      expect(workingTree).toEqual(['acme/new.proto', 'acme/store/v1beta1/shop.proto', 'acme/store/v1beta1/store.proto'])
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  it('compares only the changed files in pull request mode, with the full compare’s findings', async () => {
    const changed = await changedProtoFiles({ repo, base: baseCommit, head: headCommit, dir: 'proto' })
    expect(changed).toEqual(['acme/pet/v1/pet.proto', 'acme/store/v1beta1/store.proto'])
    const options = { use: ['FILE', 'PACKAGE'] }
    const head = () => directoryTree(path.join(repo, 'proto'))
    const full = await withTree(baseCommit, (base) => compareTrees(head(), base, options))
    const scoped = await withTree(baseCommit, (base) => compareTrees(head(), base, { ...options, changed }))
    const petOnly = await withTree(baseCommit, (base) => compareTrees(head(), base, { ...options, changed: ['acme/pet/v1/pet.proto'] }))
    expect(full.findings.length).toBeGreaterThan(5)
    expect(scoped.findings).toEqual(full.findings)
    // Naming one file compiles less and reports only what that file can cause.
    expect(petOnly.stats.headCompiled).toBeLessThan(full.stats.headCompiled)
    expect(petOnly.findings).toEqual(full.findings.filter((finding) => finding.path !== 'acme/store/v1beta1/store.proto'))
  })

  async function withTree<T>(ref: string, use: (tree: Awaited<ReturnType<typeof gitTree>>) => Promise<T>): Promise<T> {
    const tree = await gitTree({ repo, ref, dir: 'proto' })
    try {
      return await use(tree)
    } finally {
      await tree.close()
    }
  }
})
