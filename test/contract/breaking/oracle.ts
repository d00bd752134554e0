/**
 * buf 1.75 (the @bufbuild/buf dev dependency's native binary) as the oracle of the breaking
 * differential tests, and the same compare run through release-gate, both as JSON-line shapes.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { breakingOptionsFromConfig, type BreakingFinding, type BreakingOptions } from '../../../src/contract/breaking.js'
import { parseBufYaml } from '../../../src/contract/bufconfig/index.js'
import { compareTrees } from '../../../src/contract/source/compare.js'
import { combinedTree, directoryTree } from '../../../src/contract/source/tree.js'

const run = promisify(execFile)

export const repoRoot = path.resolve(import.meta.dirname, '../../..')
// npm ships buf per platform: @bufbuild/buf-linux-x64, -linux-aarch64, -darwin-arm64, …
const arch = process.platform === 'linux' && process.arch === 'arm64' ? 'aarch64' : process.arch
export const BUF = path.join(repoRoot, `node_modules/@bufbuild/buf-${process.platform}-${arch}/bin/buf`)
export const bufAvailable = existsSync(BUF)

/** One line of `buf breaking --error-format json`. */
export interface BufLine {
  path?: string
  start_line: number
  start_column: number
  end_line: number
  end_column: number
  type: string
  message: string
}

/** `buf breaking <head> --against <base>` run inside `head`, so paths are module-relative. */
export async function bufBreaking(headDir: string, baseDir: string, config?: string): Promise<BufLine[]> {
  const args = ['--against', path.relative(headDir, baseDir) || '.']
  if (config !== undefined) args.push('--config', config)
  return bufBreakingRaw(headDir, args)
}

/** `buf breaking . <args> --error-format json` in `cwd`. */
export async function bufBreakingRaw(cwd: string, args: string[]): Promise<BufLine[]> {
  const argv = ['breaking', '.', ...args, '--error-format', 'json']
  let stdout: string
  try {
    stdout = (await run(BUF, argv, { cwd, maxBuffer: 1 << 28, env: { ...process.env, BUF_CACHE_DIR: path.join(repoRoot, 'node_modules/.cache/buf') } })).stdout
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string }
    // Exit code 100 means "found breaking changes".
    if (failure.code !== 100 || failure.stdout === undefined) throw new Error(`buf ${argv.join(' ')} failed in ${cwd}: ${failure.stderr ?? String(error)}`)
    stdout = failure.stdout
  }
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BufLine)
}

export function toBufLine(finding: BreakingFinding): BufLine {
  return {
    ...(finding.path !== undefined ? { path: finding.path } : {}),
    start_line: finding.line,
    start_column: finding.column,
    end_line: finding.endLine,
    end_column: finding.endColumn,
    type: finding.rule,
    message: finding.message
  }
}

/** The breaking options of `dir/buf.yaml`, read with the project's buf.yaml reader. */
export async function optionsFromBufYaml(dir: string): Promise<BreakingOptions> {
  const file = path.join(dir, 'buf.yaml')
  const parsed = parseBufYaml(await readFile(file, 'utf8'), file)
  return breakingOptionsFromConfig(parsed.modules[0]!.breaking)
}

/** release-gate's compare of two directories (each with its buf.yaml's roots, if any), as buf's JSON lines. */
export async function oursBreaking(headDir: string, baseDir: string, options: BreakingOptions & { changed?: readonly string[] }): Promise<BufLine[]> {
  const [head, base] = await Promise.all([moduleTree(headDir), moduleTree(baseDir)])
  const result = await compareTrees(head, base, { ...options, displayPath: (file) => head.displayPath(file) })
  return result.findings.map(toBufLine)
}

/** A module directory as buf reads it: one tree per `build.roots` entry (v1beta1), else the directory. */
export async function moduleTree(dir: string) {
  const file = path.join(dir, 'buf.yaml')
  const roots = existsSync(file) ? parseBufYaml(await readFile(file, 'utf8'), file).modules[0]!.roots : ['.']
  return combinedTree(roots.map((root) => ({ tree: directoryTree(path.join(dir, root)), prefix: root === '.' ? '' : `${root}/` })))
}

/** `RULE path:line:col` — the key differential agreement is counted on. */
export function startKey(line: BufLine): string {
  return `${line.type} ${line.path ?? '<input>'}:${line.start_line}:${line.start_column}`
}

/** Runs `tasks` with at most `limit` in flight (buf processes are cheap but the machine has 2 cores). */
export async function limited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}
