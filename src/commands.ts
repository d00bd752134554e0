import { randomBytes } from 'node:crypto'
import type { Format } from './report/render/index.js'

/**
 * What a run is asked to do. The CLI builds it from argv, the action from its inputs; the core never
 * knows which door it came through.
 */
export type Command =
  | { name: 'contract'; mode: 'lint' | 'breaking' | 'check'; dir?: string; against?: string }
  | { name: 'chaos'; experiment?: string }
  | { name: 'gate'; from?: string; to?: string }
  | { name: 'rollout'; action: RolloutAction; full?: boolean; until?: string; timeout?: string }
  | { name: 'pipeline' }
  | { name: 'cleanup' }

export const ROLLOUT_ACTIONS = ['status', 'wait', 'promote', 'abort', 'retry', 'pause'] as const
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number]

export interface RunOptions {
  cwd: string
  configPath: string
  /** False when the user named no config and none exists: contract commands still run on buf's defaults. */
  configRequired: boolean
  environment?: string
  dryRun: boolean
  format: Format
  /** Ties everything one run creates together, so cleanup can find it after a crash. */
  runId: string
  /** The environment variables of the run (CI context such as GITHUB_EVENT_NAME, secrets by name). */
  env: NodeJS.ProcessEnv
}

/** GitHub's run id and attempt identify a run across the main and post steps; elsewhere a random id. */
export function defaultRunId(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_RUN_ID) return `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`
  return `rg-${randomBytes(6).toString('hex')}`
}
