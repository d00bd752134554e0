import { z } from 'zod'

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const DURATION = /^(\d+(?:ms|s|m|h|d))+$/
const PART = /(\d+)(ms|s|m|h|d)/g

/** Parses Prometheus-style durations ("30s", "5m", "1h30m") into milliseconds. */
export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new Error(`expected a duration such as 30s, 5m or 1h30m, got "${text}"`)
  let total = 0
  for (const [, n, unit] of text.matchAll(PART)) total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS]
  return total
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`
  if (ms % 1_000 === 0) return `${ms / 1_000}s`
  return `${ms}ms`
}

/** A duration field: written as text in YAML, validated at load time. */
export const duration = z
  .string()
  .regex(DURATION, 'expected a duration such as 30s, 5m or 1h30m')
  .describe('A duration: digits followed by ms, s, m, h or d, e.g. 30s, 5m, 1h30m.')
