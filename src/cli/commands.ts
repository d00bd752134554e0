import type { Command } from '../commands.js'
import { ROLLOUT_ACTIONS, type RolloutAction } from '../commands.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  value?: string
  description: string
}

/** One CLI command: its words, help text, own options and how argv becomes a Command. */
export interface CliCommand {
  words: string[]
  args?: string
  summary: string
  details?: string
  options?: Record<string, OptionSpec>
  build(positionals: string[], values: Record<string, string | boolean | undefined>): Command
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined)

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', short: 'c', value: 'PATH', description: 'config file (default .release-gate.yml)' },
  environment: { type: 'string', short: 'e', value: 'NAME', description: 'environment from the config (staging, prod, …)' },
  format: { type: 'string', short: 'f', value: 'FORMAT', description: 'text | json | github | sarif | junit (default text; github in GitHub Actions)' },
  output: { type: 'string', short: 'o', value: 'FILE', description: 'also write the JSON report to FILE' },
  'dry-run': { type: 'boolean', description: 'print the plan (what would be applied, queried, patched) and touch nothing' },
  'run-id': { type: 'string', value: 'ID', description: 'run id labelling what this run creates (default: GitHub run id or random)' },
  help: { type: 'boolean', short: 'h', description: 'show help' }
}

const ROLLOUT_SUMMARY: Record<RolloutAction, string> = {
  status: 'print the rollout phase and message as the kubectl plugin computes them',
  wait: 'wait until the rollout is paused, healthy, degraded or at a step',
  promote: "promote with the kubectl plugin's patches",
  abort: "abort with the kubectl plugin's patch",
  retry: 'retry an aborted rollout',
  pause: 'pause the rollout'
}

export const COMMANDS: CliCommand[] = [
  {
    words: ['contract', 'lint'],
    args: '[DIR]',
    summary: 'lint .proto files with buf\'s rules and IDs (buf.yaml honoured)',
    build: (p) => ({ name: 'contract', mode: 'lint', dir: p[0] })
  },
  {
    words: ['contract', 'breaking'],
    args: '[DIR] --against <git-ref|DIR>',
    summary: 'find breaking changes against a git ref or a directory',
    options: { against: { type: 'string', value: 'REF|DIR', description: 'base to compare with: a git ref (origin/main) or a directory' } },
    build: (p, v) => ({ name: 'contract', mode: 'breaking', dir: p[0], against: str(v.against) })
  },
  {
    words: ['contract', 'check'],
    args: '[DIR] [--against <git-ref|DIR>]',
    summary: 'lint + breaking + the evolution policy, as the pipeline runs it',
    options: { against: { type: 'string', value: 'REF|DIR', description: 'base to compare with: a git ref or a directory' } },
    build: (p, v) => ({ name: 'contract', mode: 'check', dir: p[0], against: str(v.against) })
  },
  {
    words: ['chaos', 'run'],
    summary: 'inject the configured chaos experiment(s) under the admission policy and SLO guard',
    options: { experiment: { type: 'string', value: 'NAME', description: 'run only this experiment' } },
    build: (_p, v) => ({ name: 'chaos', experiment: str(v.experiment) })
  },
  {
    words: ['gate'],
    summary: 'evaluate the Prometheus/Alertmanager gates (or backtest them over a past window)',
    options: {
      from: { type: 'string', value: 'TIME', description: 'backtest start (RFC 3339 or unix seconds)' },
      to: { type: 'string', value: 'TIME', description: 'backtest end' }
    },
    build: (_p, v) => ({ name: 'gate', from: str(v.from), to: str(v.to) })
  },
  ...ROLLOUT_ACTIONS.map(
    (action: RolloutAction): CliCommand => ({
      words: ['rollout', action],
      summary: ROLLOUT_SUMMARY[action],
      options:
        action === 'promote'
          ? { full: { type: 'boolean', description: 'skip the remaining steps (promote --full)' } }
          : action === 'wait'
            ? {
                until: { type: 'string', value: 'STATE', description: 'paused | healthy | degraded | step=N (default paused)' },
                timeout: { type: 'string', value: 'DURATION', description: 'give up after this long (default from config)' }
              }
            : undefined,
      build: (_p, v) => ({ name: 'rollout', action, full: v.full === true, until: str(v.until), timeout: str(v.timeout) })
    })
  ),
  {
    words: ['pipeline'],
    summary: 'contract → chaos on staging under the guard → gates on the canary → promote or abort',
    build: () => ({ name: 'pipeline' })
  },
  {
    words: ['cleanup'],
    summary: 'stop and delete everything a run created (for Jenkins post / GitLab after_script)',
    build: () => ({ name: 'cleanup' })
  }
]
