import { existsSync } from 'node:fs'
import path from 'node:path'
import { planChaos } from './chaos/plan.js'
import { runChaos, runCleanup } from './chaos/stage.js'
import type { Command, RunOptions } from './commands.js'
import { environmentName } from './config/environment.js'
import { displayPath, loadConfigFile } from './config/load.js'
import type { Config } from './config/schema.js'
import { runContract } from './contract/stage.js'
import { readEventPayload, trust } from './github/context.js'
import { UsageError } from './errors.js'
import { planGates } from './gates/plan.js'
import { runGateCommand, runGates } from './gates/stage.js'
import { worstVerdict, type Report, type RuleInfo, type StageResult } from './report/findings.js'
import { planRollout } from './rollout/plan.js'
import { runRolloutCommand, runRolloutStage, type Upstream } from './rollout/stage.js'
import { TOOL } from './version.js'

const PIPELINE_ORDER = ['contract', 'chaos', 'gates', 'rollout'] as const
type Stage = (typeof PIPELINE_ORDER)[number]

export interface StageOutput {
  result: StageResult
  rules?: Record<string, RuleInfo>
}

/** What every stage gets: the validated config (absent for a bare `contract` run) and where its paths are relative to. */
export interface StageContext {
  config: Config | undefined
  /** Paths in the config are relative to the config file's folder; without a config, to the working directory. */
  baseDir: string
  options: RunOptions
}

/** Runs a command to a report. Every stage returns a StageResult; nothing here prints. */
export async function execute(command: Command, options: RunOptions): Promise<Report> {
  const ctx = await loadContext(options, command.name !== 'contract')
  const config = ctx.config
  const outputs: StageOutput[] = []
  switch (command.name) {
    case 'contract':
      outputs.push(await runContract(command, ctx))
      break
    case 'pipeline': {
      const env = environmentOf(config, options)
      const stages = env?.stages ?? [...PIPELINE_ORDER]
      const selected = PIPELINE_ORDER.filter((s) => stages.includes(s))
      for (const stage of selected) {
        const out = await runStage(stage, ctx, upstreamOf(outputs))
        outputs.push(out)
        // The first blocking verdict ends the run: nothing after it may act on a release already refused,
        // except the rollout stage, whose job is to abort (or hold) the canary of a refused release.
        if (!options.dryRun && (out.result.verdict === 'fail' || out.result.verdict === 'inconclusive')) {
          if (stage !== 'rollout' && selected.includes('rollout')) outputs.push(await runStage('rollout', ctx, upstreamOf(outputs)))
          break
        }
      }
      break
    }
    case 'rollout': {
      if (!configured('rollout', config)) throw new UsageError('the rollout commands need a `rollout:` section (name, namespace) in the config')
      const refusal = command.action === 'status' || command.action === 'wait' ? undefined : untrustedTriggerRefusal('rollout', ctx)
      outputs.push(refusal ?? (await runRolloutCommand(command, ctx)))
      break
    }
    case 'chaos':
      outputs.push(options.dryRun ? await runStage('chaos', ctx) : (untrustedTriggerRefusal('chaos', ctx) ?? (await runChaos(ctx, command.experiment))))
      break
    case 'gate':
      outputs.push(options.dryRun ? await runStage('gates', ctx) : await runGateCommand(command, ctx))
      break
    case 'cleanup':
      outputs.push(await runCleanup(ctx))
      break
  }
  const rules = Object.assign({}, ...outputs.map((o) => o.rules ?? {})) as Record<string, RuleInfo>
  const stages = outputs.map((o) => o.result)
  return { tool: TOOL, verdict: worstVerdict(stages.map((s) => s.verdict)), dryRun: options.dryRun, stages, rules }
}

/** Stages that change a cluster: a PR from outside the repository must not drive them. */
const CLUSTER_STAGES = new Set(['chaos', 'rollout'])

/** Whether the config gives a stage anything to do. */
function configured(stage: Stage, config: Config | undefined): boolean {
  switch (stage) {
    case 'contract':
      return config?.contract !== undefined
    case 'chaos':
      return (config?.chaos?.experiments.length ?? 0) > 0
    case 'gates':
      return (config?.gates?.checks.length ?? 0) > 0
    case 'rollout':
      return config?.rollout !== undefined
  }
}

/** What the stages so far decided, for the rollout stage. */
function upstreamOf(outputs: StageOutput[]): Upstream {
  const stages = outputs.map((o) => ({ stage: o.result.stage, verdict: o.result.verdict, summary: o.result.summary }))
  return { verdict: worstVerdict(stages.map((s) => s.verdict)), stages }
}

async function runStage(stage: Stage, ctx: StageContext, upstream: Upstream = { verdict: 'skipped', stages: [] }): Promise<StageOutput> {
  if (!configured(stage, ctx.config)) return { result: { stage, verdict: 'skipped', summary: `no ${stage === 'gates' ? 'gates' : stage} configured`, findings: [] } }
  if (CLUSTER_STAGES.has(stage)) {
    const refusal = untrustedTriggerRefusal(stage, ctx)
    if (refusal) return refusal
  }
  switch (stage) {
    case 'contract':
      return runContract({ name: 'contract', mode: 'check' }, ctx)
    case 'chaos':
      return ctx.options.dryRun ? planChaos(ctx) : runChaos(ctx)
    case 'gates':
      return ctx.options.dryRun ? planGates(ctx) : runGates(ctx)
    case 'rollout':
      return ctx.options.dryRun ? planRollout(ctx) : runRolloutStage(ctx, upstream)
  }
}

/**
 * On pull_request from a fork, pull_request_target and fork-started workflow_run, the code and config
 * come from someone outside the repository: refuse cluster stages unless the environment allows it.
 */
function untrustedTriggerRefusal(stage: Stage, ctx: StageContext): StageOutput | undefined {
  const env = ctx.options.env
  if (!env.GITHUB_EVENT_NAME) return undefined
  let payload: Record<string, unknown>
  try {
    payload = readEventPayload(env.GITHUB_EVENT_PATH)
  } catch {
    // An unreadable payload cannot prove the trigger is trusted.
    payload = {}
  }
  const { untrusted, reason } = trust(env.GITHUB_EVENT_NAME, payload)
  const environment = environmentName(ctx.config, ctx.options)
  if (!untrusted || (environment !== undefined && ctx.config?.environments[environment]?.allowUntrustedTriggers)) return undefined
  return {
    result: {
      stage,
      verdict: 'fail',
      summary: `refused: ${reason}`,
      findings: [
        {
          rule: 'UNTRUSTED_TRIGGER',
          stage,
          severity: 'error',
          message: `the ${stage} stage changes a cluster and does not run for an untrusted trigger: ${reason}`,
          help: `run it from a push or a trusted workflow, or set environments.${environment ?? '<name>'}.allowUntrustedTriggers: true if you accept the risk`
        }
      ]
    },
    rules: { UNTRUSTED_TRIGGER: { purpose: 'Cluster-changing stages do not run for pull requests from outside the repository.' } }
  }
}

async function loadContext(options: RunOptions, required: boolean): Promise<StageContext> {
  const file = path.resolve(options.cwd, options.configPath)
  if (!existsSync(file) && !(required || options.configRequired)) return { config: undefined, baseDir: options.cwd, options }
  return { config: await loadConfigFile(file, displayPath(file, options.cwd)), baseDir: path.dirname(file), options }
}

function environmentOf(config: Config | undefined, options: RunOptions) {
  const name = environmentName(config, options)
  return name === undefined ? undefined : config!.environments[name]
}
