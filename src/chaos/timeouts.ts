/**
 * The run's timeouts per driver. Chaos Mesh selects within seconds, so nothing injected by half the
 * duration (at most 30 s) is a failure. Litmus starts a runner and an experiment pod first (image
 * pulls) and reports an empty selection itself (TARGET_SELECTION_ERROR), so by default it only gets
 * the overall deadline. Kept apart from the stage so the config schema can check against the same numbers.
 */
import { formatDuration } from '../config/duration.js'

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
