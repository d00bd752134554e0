/**
 * buf itself, as the oracle for differential tests: the native binary from the
 * @bufbuild/buf dev dependency, run with JSON output.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { LintFinding } from '../../../src/contract/lint.js'

const run = promisify(execFile)

export const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const BUF = path.join(repoRoot, 'node_modules/@bufbuild/buf-linux-x64/bin/buf')
export const bufAvailable = existsSync(BUF)

export interface BufAnnotation {
  path?: string
  start_line: number
  start_column: number
  end_line: number
  end_column: number
  type: string
  message: string
}

/** Runs buf and returns stdout; exit code 100 (findings) is not a failure. */
export async function bufStdout(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(BUF, args, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BUF_CACHE_DIR: path.join(repoRoot, 'node_modules/.cache/buf') } })
    return stdout
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    if (e.code === 100 && e.stdout !== undefined) return e.stdout
    throw new Error(`buf ${args.join(' ')} failed in ${cwd}: ${e.stderr ?? String(err)}`)
  }
}

/** `buf lint --error-format json` in `dir`, one annotation per line. */
export async function bufLint(dir: string, extraArgs: string[] = []): Promise<BufAnnotation[]> {
  const out = await bufStdout(['lint', '--error-format', 'json', ...extraArgs], dir)
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BufAnnotation)
}

/** One comparable line per finding: rule, path, start and end, message. */
export function fromBuf(a: BufAnnotation): string {
  return `${a.type} ${a.path ?? '<input>'}:${a.start_line}:${a.start_column}-${a.end_line}:${a.end_column} ${a.message}`
}

export function fromOurs(f: LintFinding): string {
  return `${f.rule} ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`
}
