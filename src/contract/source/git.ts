/**
 * One side of a compare read straight from git objects: the files of a commit are listed with
 * `git ls-tree` and read through a single long-lived `git cat-file --batch` process, so no
 * second checkout is needed. Also: the changed files of a pull request for scoped compares.
 */

import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { compareBytes, type SourceTree } from './tree.js'

export class GitSourceError extends Error {
  override readonly name = 'GitSourceError'
}

interface GitResult {
  stdout: Buffer
  stderr: string
  code: number
}

function git(repo: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: repo, encoding: 'buffer', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      if (error && typeof error.code !== 'number') {
        reject(new GitSourceError(`could not run git in ${repo}: ${error.message}`))
        return
      }
      resolve({ stdout, stderr: stderr.toString('utf8'), code })
    })
  })
}

async function gitOk(repo: string, args: readonly string[]): Promise<Buffer> {
  const result = await git(repo, args)
  if (result.code !== 0) throw new GitSourceError(`git ${args.join(' ')} failed in ${repo}: ${result.stderr.trim() || `exit code ${result.code}`}`)
  return result.stdout
}

/**
 * The commit `ref` names. A ref missing from a shallow clone (a CI checkout of one commit) is
 * reported with the fetch that fixes it.
 */
async function resolveCommit(repo: string, ref: string): Promise<string> {
  const result = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
  if (result.code === 0) return result.stdout.toString('utf8').trim()
  throw await missingRefError(repo, ref)
}

async function missingRefError(repo: string, ref: string): Promise<GitSourceError> {
  const shallow = (await git(repo, ['rev-parse', '--is-shallow-repository'])).stdout.toString('utf8').trim() === 'true'
  const remoteRef = ref.replace(/^origin\//, '')
  if (shallow) {
    return new GitSourceError(
      `git ref "${ref}" is not in this clone: it is shallow (a CI checkout fetches one commit by default). ` +
        `Fetch the base first: set "fetch-depth: 0" on actions/checkout, or run "git fetch origin ${remoteRef} --depth=50" before this step.`
    )
  }
  return new GitSourceError(`git ref "${ref}" does not name a commit in ${repo}; fetch it first, e.g. "git fetch origin ${remoteRef}".`)
}

/** Reads many objects through one `git cat-file --batch` process, in request order. */
class CatFileBatch {
  private readonly process: ChildProcessWithoutNullStreams
  private readonly waiting: { resolve(data: Buffer | undefined): void; reject(error: Error): void }[] = []
  private buffer: Buffer = Buffer.alloc(0)
  private failure: Error | undefined
  private readonly exited: Promise<void>

  constructor(repo: string) {
    this.process = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    this.process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    this.process.stdout.on('data', (chunk: Buffer) => this.receive(chunk))
    this.process.stdin.on('error', () => {
      // Reported through 'exit' below; a write to a dead process must not crash the caller.
    })
    this.exited = new Promise((resolve) => {
      this.process.on('error', (error) => {
        this.fail(new GitSourceError(`could not start git cat-file in ${repo}: ${error.message}`))
        resolve()
      })
      this.process.on('exit', (code) => {
        if (this.waiting.length > 0) this.fail(new GitSourceError(`git cat-file exited with code ${code} in ${repo}: ${stderr.trim()}`))
        resolve()
      })
    })
  }

  /** The object's content, or undefined when git does not have it. */
  read(objectName: string): Promise<Buffer | undefined> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.process.stdin.write(objectName + '\n')
    })
  }

  async close(): Promise<void> {
    this.process.stdin.end()
    await this.exited
  }

  private fail(error: Error): void {
    this.failure = error
    for (const waiter of this.waiting.splice(0)) waiter.reject(error)
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    for (;;) {
      const newline = this.buffer.indexOf(10)
      if (newline < 0) return
      const header = this.buffer.subarray(0, newline).toString('utf8')
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1)
        this.waiting.shift()?.resolve(undefined)
        continue
      }
      const size = Number(header.slice(header.lastIndexOf(' ') + 1))
      // Header, content and the newline after the content must all be here.
      if (this.buffer.length < newline + 1 + size + 1) return
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size))
      this.buffer = this.buffer.subarray(newline + 1 + size + 1)
      this.waiting.shift()?.resolve(content)
    }
  }
}

export interface GitTreeOptions {
  /** Any directory inside the repository. */
  repo: string
  ref: string
  /** The module's directory relative to the repository root ('' or '.' for the root). */
  dir?: string
}

/** The `.proto` files under `dir` in commit `ref`, read from git objects. */
export async function gitTree(options: GitTreeOptions): Promise<SourceTree> {
  const top = (await gitOk(options.repo, ['rev-parse', '--show-toplevel'])).toString('utf8').trim()
  const commit = await resolveCommit(top, options.ref)
  const dir = normalizeDir(options.dir)
  const listing = await gitOk(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...(dir ? [dir] : [])])
  const blobs = new Map<string, string>()
  for (const entry of listing.toString('utf8').split('\0')) {
    if (!entry) continue
    const tab = entry.indexOf('\t')
    const [mode, type, objectName] = entry.slice(0, tab).split(' ') as [string, string, string]
    const repoPath = entry.slice(tab + 1)
    // Regular files only: symlinks (120000) and submodules (commit entries) are not module files.
    if (type !== 'blob' || mode === '120000' || !repoPath.endsWith('.proto')) continue
    const modulePath = dir ? repoPath.slice(dir.length + 1) : repoPath
    blobs.set(modulePath, objectName)
  }
  const paths = [...blobs.keys()].sort(compareBytes)
  let batch: CatFileBatch | undefined
  return {
    description: `git ${options.ref}${dir ? ':' + dir : ''}`,
    async list() {
      return paths
    },
    async read(modulePath) {
      const objectName = blobs.get(modulePath)
      if (objectName === undefined) return undefined
      batch ??= new CatFileBatch(top)
      return (await batch.read(objectName))?.toString('utf8')
    },
    async close() {
      await batch?.close()
    }
  }
}

function normalizeDir(dir: string | undefined): string {
  return (dir ?? '').replace(/\\/g, '/').replace(/^(\.\/)+|\/+$/g, '').replace(/^\.$/, '')
}

export interface ChangedFilesOptions {
  repo: string
  /** The pull request's base (branch, tag or commit). */
  base: string
  /** The head commit; without it, the working tree (tracked changes plus untracked files). */
  head?: string
  dir?: string
}

/**
 * Module-relative `.proto` paths that differ between the merge base of `base` and the head:
 * what `git diff --name-only base...head` lists, with renames split into delete + add.
 */
export async function changedProtoFiles(options: ChangedFilesOptions): Promise<string[]> {
  const top = (await gitOk(options.repo, ['rev-parse', '--show-toplevel'])).toString('utf8').trim()
  await resolveCommit(top, options.base)
  if (options.head !== undefined) await resolveCommit(top, options.head)
  const dir = normalizeDir(options.dir)
  const scope = ['--', ...(dir ? [dir] : [])]
  const range = options.head !== undefined ? [`${options.base}...${options.head}`] : ['--merge-base', options.base]
  const diff = await git(top, ['diff', '--name-only', '--no-renames', '-z', ...range, ...scope])
  if (diff.code !== 0) {
    // A shallow clone without the merge base fails here even when both commits are present.
    if (/merge base|no merge base/i.test(diff.stderr)) throw await missingRefError(top, options.base)
    throw new GitSourceError(`git diff failed in ${top}: ${diff.stderr.trim()}`)
  }
  const paths = diff.stdout.toString('utf8').split('\0').filter(Boolean)
  if (options.head === undefined) {
    const untracked = await gitOk(top, ['ls-files', '--others', '--exclude-standard', '-z', ...scope])
    paths.push(...untracked.toString('utf8').split('\0').filter(Boolean))
  }
  const result = new Set<string>()
  for (const repoPath of paths) {
    if (!repoPath.endsWith('.proto')) continue
    if (dir && !repoPath.startsWith(dir + '/')) continue
    result.add(dir ? repoPath.slice(dir.length + 1) : repoPath)
  }
  return [...result].sort(compareBytes)
}
