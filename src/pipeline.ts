import { existsSync } from 'node:fs'
import path from 'node:path'
import { planChaos } from './chaos/plan.js'
import type { Command, RunOptions } from './commands.js'
import { displayPath, loadConfigFile } from './config/load.js'
import type { Config } from './config/schema.js'
import { runContract } from './contract/stage.js'
import { NotBuiltError, UsageError } from './errors.js'
import { planGates } from './gates/plan.js'
import { worstVerdict, type Report, type RuleInfo, type StageResult } from './report/findings.js'
import { planRollout } from './rollout/plan.js'
import { TOOL } from './version.js'

const PIPELINE_ORDER = ['contract', 'chaos', 'gates', 'rollout'] as const

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
      for (const stage of PIPELINE_ORDER.filter((s) => stages.includes(s))) {
        const out = await runStage(stage, ctx)
        outputs.push(out)
        // The first blocking verdict ends the run: nothing after it may act on a release already refused.
        if (!options.dryRun && (out.result.verdict === 'fail' || out.result.verdict === 'inconclusive')) break
      }
      break
    }
    case 'chaos':
    case 'gate':
    case 'rollout':
      if (!options.dryRun) throw new NotBuiltError(`release-gate ${command.name}`)
      outputs.push(await runStage(command.name === 'gate' ? 'gates' : command.name, ctx))
      break
    case 'cleanup':
      // Nothing is injected by this version (the chaos stage only plans), so nothing can be left behind.
      outputs.push({
        result: {
          stage: 'chaos',
          verdict: 'pass',
          summary: `run ${options.runId}: this version creates no cluster objects, nothing to clean up`,
          findings: []
        }
      })
      break
  }
  const rules = Object.assign({}, ...outputs.map((o) => o.rules ?? {})) as Record<string, RuleInfo>
  const stages = outputs.map((o) => o.result)
  return { tool: TOOL, verdict: worstVerdict(stages.map((s) => s.verdict)), dryRun: options.dryRun, stages, rules }
}

async function runStage(stage: (typeof PIPELINE_ORDER)[number], ctx: StageContext): Promise<StageOutput> {
  switch (stage) {
    case 'contract':
      if (!ctx.config?.contract) return { result: { stage: 'contract', verdict: 'skipped', summary: 'no contract configured', findings: [] } }
      return runContract({ name: 'contract', mode: 'check' }, ctx)
    case 'chaos':
      if (!ctx.options.dryRun) throw new NotBuiltError('the chaos stage')
      return planChaos(ctx)
    case 'gates':
      if (!ctx.options.dryRun) throw new NotBuiltError('the gates stage')
      return planGates(ctx)
    case 'rollout':
      if (!ctx.options.dryRun) throw new NotBuiltError('the rollout stage')
      return planRollout(ctx)
  }
}

async function loadContext(options: RunOptions, required: boolean): Promise<StageContext> {
  const file = path.resolve(options.cwd, options.configPath)
  if (!existsSync(file) && !(required || options.configRequired)) return { config: undefined, baseDir: options.cwd, options }
  return { config: await loadConfigFile(file, displayPath(file, options.cwd)), baseDir: path.dirname(file), options }
}

function environmentOf(config: Config | undefined, options: RunOptions) {
  if (!config) return undefined
  const names = Object.keys(config.environments)
  if (options.environment === undefined) {
    if (names.length > 1) throw new UsageError(`several environments are configured (${names.join(', ')}): choose one with --environment`)
    return names[0] === undefined ? undefined : config.environments[names[0]]
  }
  const env = config.environments[options.environment]
  if (!env) throw new UsageError(`environment "${options.environment}" is not configured; configured: ${names.join(', ') || 'none'}`)
  return env
}
