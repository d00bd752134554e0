import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { parseDuration } from '../config/duration.js'
import { configPositions, displayPath } from '../config/load.js'
import type { ExperimentConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import type { StageContext } from '../pipeline.js'
import { RUN_ID_LABEL } from './drivers/common.js'
import { chaosMeshTarget, litmusTarget, type ChaosManifest, type ChaosTarget } from './target.js'
import { selectTimeoutProblem } from './timeouts.js'

export interface LoadedExperiment {
  config: ExperimentConfig
  manifest: ChaosManifest
  manifestPath: string
  target: ChaosTarget
}

/** Labels every object this run creates carries, so cleanup can find them after a crash. */
export function runLabels(runId: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const labels: Record<string, string> = { [RUN_ID_LABEL]: runId }
  if (env.GITHUB_REPOSITORY) labels['release-gate/repository'] = labelValue(env.GITHUB_REPOSITORY)
  if (env.GITHUB_SHA) labels['release-gate/commit'] = labelValue(env.GITHUB_SHA)
  return labels
}

/** Label values: at most 63 of [A-Za-z0-9_.-], starting and ending alphanumeric. */
function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
}

/** The branch being released, as CI names it, else the checkout's. */
export function currentBranch(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromCi = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BRANCH_NAME
  if (fromCi) return fromCi
  try {
    const name = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return name && name !== 'HEAD' ? name : undefined
  } catch {
    return undefined
  }
}

/** Reads and checks an experiment's manifest: the driver's API group, a supported kind, its target. */
export async function loadExperiment(config: ExperimentConfig, ctx: StageContext): Promise<LoadedExperiment> {
  const file = path.resolve(ctx.baseDir, config.manifest)
  const shown = displayPath(file, ctx.options.cwd)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new UsageError(`${shown}: chaos manifest of experiment "${config.name}" not found`)
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  if (doc.errors[0]) {
    const { line, col } = lineCounter.linePos(doc.errors[0].pos[0])
    throw new UsageError(`${shown}:${line}:${col}: ${doc.errors[0].message.split('\n')[0]}`)
  }
  const manifest = doc.toJS() as ChaosManifest
  const group = config.driver === 'chaos-mesh' ? 'chaos-mesh.org/' : 'litmuschaos.io/'
  if (typeof manifest?.apiVersion !== 'string' || !manifest.apiVersion.startsWith(group))
    throw new UsageError(`${shown}:1:1: expected a ${config.driver} object (apiVersion ${group}…), got apiVersion ${JSON.stringify(manifest?.apiVersion)}`)
  try {
    const target = config.driver === 'chaos-mesh' ? chaosMeshTarget(manifest) : litmusTarget(manifest)
    return { config, manifest, manifestPath: shown, target }
  } catch (error) {
    throw new UsageError(`${shown}: ${(error as Error).message}`)
  }
}

export interface ExperimentTimings {
  durationMs: number
  /** The configured selectTimeout; undefined: the driver's default. */
  selectTimeoutMs?: number
}

/**
 * The duration an experiment gets (its config, else its manifest, else the policy's maximum; never above
 * that maximum), and its configured selectTimeout checked against that duration. The dry run and the
 * real run both ask here, so they agree, errors included: a timeout that could never fire is a usage
 * error at its file:line:col, raised before anything is created.
 */
export function experimentTimings(experiment: LoadedExperiment, index: number, environment: string, maxDuration: string, ctx: StageContext): ExperimentTimings {
  const maxMs = parseDuration(maxDuration)
  const asked = experiment.config.duration ?? experiment.target.duration
  const askedMs = asked === undefined ? undefined : parseDuration(asked)
  const capped = askedMs === undefined || askedMs > maxMs
  const durationMs = capped ? maxMs : askedMs
  const text = experiment.config.selectTimeout
  if (text === undefined) return { durationMs }
  const problem = selectTimeoutProblem(experiment.config.driver, durationMs, parseDuration(text))
  if (!problem) return { durationMs, selectTimeoutMs: parseDuration(text) }
  const from = capped ? `chaos.admission.${environment}.maxDuration` : experiment.config.duration !== undefined ? `chaos.experiments[${index}].duration` : `the manifest ${experiment.manifestPath}`
  const file = path.resolve(ctx.options.cwd, ctx.options.configPath)
  const at = configPositions(file)(['chaos', 'experiments', index, 'selectTimeout']) ?? { line: 1, column: 1 }
  throw new UsageError(`${displayPath(file, ctx.options.cwd)}:${at.line}:${at.column}: chaos.experiments[${index}].selectTimeout: ${problem} (the duration comes from ${from})`)
}
