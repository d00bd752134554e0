/**
 * The run's timeouts per driver. Chaos Mesh selects within seconds, so nothing injected by half the
 * duration (at most 30 s) is a failure. Litmus starts a runner and an experiment pod first (image
 * pulls) and reports an empty selection itself (TARGET_SELECTION_ERROR), so by default it only gets
 * the overall deadline. Kept apart from the stage so the config schema can check against the same numbers.
 */
import { readFile } from 'node:fs/promises'
import { isNode, LineCounter, parseDocument } from 'yaml'
import { formatDuration, parseDuration } from '../config/duration.js'
import { UsageError } from '../errors.js'
import type { LoadedExperiment } from './experiment.js'

type Driver = 'chaos-mesh' | 'litmus'

/** After the experiment's duration, how long to wait for its controller to report recovery. */
export const GRACE_MS: Record<Driver, number> = { 'chaos-mesh': 30_000, litmus: 180_000 }

export function defaultSelectTimeoutMs(driver: Driver, durationMs: number): number {
  return driver === 'chaos-mesh' ? Math.min(30_000, Math.max(1_000, durationMs / 2)) : durationMs + GRACE_MS.litmus
}

/**
 * Why a configured select timeout cannot work, or undefined (the caller names the key). Past
 * duration + grace the run has already ended as inconclusive, so such a timeout could never fire.
 */
export function selectTimeoutProblem(driver: Driver, durationMs: number, selectTimeoutMs: number): string | undefined {
  if (selectTimeoutMs <= 0) return 'expected a duration longer than 0'
  const limit = durationMs + GRACE_MS[driver]
  if (selectTimeoutMs <= limit) return undefined
  return `${formatDuration(selectTimeoutMs)} is longer than the run can last (duration ${formatDuration(durationMs)} + ${formatDuration(GRACE_MS[driver])} grace for ${driver}), so it could never fire; use at most ${formatDuration(limit)}`
}

export interface ExperimentDuration {
  durationMs: number
  /** The config key or file it came from, for messages. */
  from: string
}

/** The duration an experiment gets: its config, else its manifest, else the policy's maximum; never above that maximum. */
export function experimentDuration(experiment: LoadedExperiment, index: number, environment: string, maxDuration: string): ExperimentDuration {
  const maxMs = parseDuration(maxDuration)
  const asked = experiment.config.duration ?? experiment.target.duration
  const askedMs = asked === undefined ? undefined : parseDuration(asked)
  if (askedMs === undefined || askedMs > maxMs) return { durationMs: maxMs, from: `chaos.admission.${environment}.maxDuration` }
  return { durationMs: askedMs, from: experiment.config.duration !== undefined ? `chaos.experiments[${index}].duration` : `the manifest ${experiment.manifestPath}` }
}

/**
 * The experiment's configured selectTimeout in ms (undefined: the driver's default), checked against
 * the duration it really gets. A timeout that could never fire is a usage error at its file:line:col,
 * raised before anything is created.
 */
export async function configuredSelectTimeoutMs(experiment: LoadedExperiment, index: number, duration: ExperimentDuration,
  config: { file: string; shown: string }): Promise<number | undefined> {
  const text = experiment.config.selectTimeout
  if (text === undefined) return undefined
  const problem = selectTimeoutProblem(experiment.config.driver, duration.durationMs, parseDuration(text))
  if (!problem) return parseDuration(text)
  const keyPath = ['chaos', 'experiments', index, 'selectTimeout']
  const at = await positionOf(config.file, keyPath)
  throw new UsageError(`${config.shown}:${at.line}:${at.col}: chaos.experiments[${index}].selectTimeout: ${problem} (the duration comes from ${duration.from})`)
}

/** Where a key's value is in the YAML config (1:1 when it cannot be found). */
async function positionOf(file: string, keyPath: (string | number)[]): Promise<{ line: number; col: number }> {
  const text = await readFile(file, 'utf8').catch(() => '')
  const lineCounter = new LineCounter()
  const node = parseDocument(text, { lineCounter }).getIn(keyPath, true)
  return isNode(node) && node.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 }
}
