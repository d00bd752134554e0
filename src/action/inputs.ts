import * as core from '@actions/core'
import { defaultRunId, ROLLOUT_ACTIONS, type Command, type RolloutAction, type RunOptions } from '../commands.js'
import { DEFAULT_CONFIG_PATH } from '../config/load.js'
import { UsageError } from '../errors.js'
import { FORMATS, type Format } from '../report/render/index.js'

export const ACTION_COMMANDS = ['pipeline', 'contract', 'chaos', 'gate', 'rollout'] as const

export interface GitHubPublishing {
  token: string
  checkRun: boolean
  checkName: string
  comment: boolean
  commitStatus: boolean
}

export interface ActionInputs {
  command: Command
  options: RunOptions
  reportPath: string
  /** Absent when no token is given: nothing is published to GitHub beyond annotations and the summary. */
  github?: GitHubPublishing
}

/** Every input is read here, once, into the same Command and RunOptions the CLI builds from argv. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const name = core.getInput('command') || 'pipeline'
  const optional = (input: string) => core.getInput(input) || undefined
  const format = (core.getInput('format') || 'github') as Format
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`input format: expected one of ${FORMATS.join(', ')}, got "${format}"`)
  const options: RunOptions = {
    cwd: optional('working-directory') ?? env.GITHUB_WORKSPACE ?? process.cwd(),
    configPath: optional('config') ?? DEFAULT_CONFIG_PATH,
    configRequired: optional('config') !== undefined,
    environment: optional('environment'),
    dryRun: core.getBooleanInput('dry-run'),
    format,
    runId: optional('run-id') ?? defaultRunId(env),
    env
  }
  const reportPath = optional('report-path') ?? `${env.RUNNER_TEMP ?? options.cwd}/release-gate-report.json`
  const token = core.getInput('github-token')
  // Masked before anything else can print it.
  if (token) core.setSecret(token)
  const github = token
    ? {
        token,
        checkRun: core.getBooleanInput('check-run'),
        checkName: core.getInput('check-name') || 'release-gate findings',
        comment: core.getBooleanInput('pr-comment'),
        commitStatus: core.getBooleanInput('commit-status')
      }
    : undefined
  return { command: toCommand(name), options, reportPath, ...(github ? { github } : {}) }
}

function toCommand(name: string): Command {
  switch (name) {
    case 'pipeline':
      return { name: 'pipeline' }
    case 'contract': {
      const mode = core.getInput('contract-mode') || 'check'
      if (mode !== 'lint' && mode !== 'breaking' && mode !== 'check') throw new UsageError(`input contract-mode: expected lint, breaking or check, got "${mode}"`)
      return { name: 'contract', mode, dir: core.getInput('contract-dir') || undefined, against: core.getInput('against') || undefined }
    }
    case 'chaos':
      return { name: 'chaos', experiment: core.getInput('experiment') || undefined }
    case 'gate':
      return { name: 'gate' }
    case 'rollout': {
      const action = core.getInput('rollout-action') || 'status'
      if (!(ROLLOUT_ACTIONS as readonly string[]).includes(action))
        throw new UsageError(`input rollout-action: expected one of ${ROLLOUT_ACTIONS.join(', ')}, got "${action}"`)
      return {
        name: 'rollout',
        action: action as RolloutAction,
        full: core.getInput('promote-full') === 'true',
        until: core.getInput('until') || undefined,
        timeout: core.getInput('timeout') || undefined
      }
    }
    default:
      throw new UsageError(`input command: expected one of ${ACTION_COMMANDS.join(', ')}, got "${name}"`)
  }
}
