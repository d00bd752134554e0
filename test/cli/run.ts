import { execFileSync, spawnSync } from 'node:child_process'
import path from 'node:path'
import { runCli } from '../../src/cli/main.js'

export const REPO = path.resolve(import.meta.dirname, '../..')

/** Runs the CLI core in-process, as the bin shim does, capturing what it prints. */
export async function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    cwd: options.cwd ?? REPO
  })
  return { code, stdout, stderr }
}

/** The system Node (not the Node 24 that npm scripts put first on PATH), to prove the bundle runs on 20. */
export function systemNode(): { path: string; version: string } | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !d.includes('node_modules'))
  const found = spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: dirs.join(path.delimiter) }, encoding: 'utf8' }).stdout.trim()
  if (!found) return undefined
  return { path: found, version: execFileSync(found, ['--version'], { encoding: 'utf8' }).trim() }
}
