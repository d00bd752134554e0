import { z } from 'zod'

/** Fields every gate kind shares: identity, what to do without data, and how much data is enough. */
export const gateCommon = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes')
    .describe('Unique gate name; findings are reported as gate:<name>.'),
  description: z.string().optional().describe('What the gate protects, shown in the report.'),
  critical: z.boolean().default(false).describe('An inconclusive decision of this gate (no data, errors) also ends the evaluation at once; any failed gate always does.'),
  noData: z
    .enum(['fail', 'inconclusive', 'pass'])
    .default('inconclusive')
    .describe('Verdict of a measurement whose query returned no series or NaN. "pass" is allowed but never promotes on its own.'),
  minSamples: z
    .object({
      query: z.string().describe('PromQL giving the sample size, e.g. the canary request count over the window.'),
      min: z.number().nonnegative().describe('Below this the measurement is inconclusive instead of failing.')
    })
    .strict()
    .optional()
    .describe('Minimum sample size; low traffic makes a gate inconclusive, not failed.')
}

export type GateVerdict = 'pass' | 'fail' | 'inconclusive'

export interface Judgement {
  verdict: GateVerdict
  /** Names the values and the limit, so a person sees why without opening the data. */
  reason: string
  /** The numbers the verdict rests on, for the report and charts. */
  observed: Record<string, number>
}

/**
 * What a gate judges: per query role, the values Prometheus returned (one per series for an instant
 * query; all samples for a range query). The loop hands a judge only data that is present and finite;
 * "no data" and small samples are decided before the judge runs, the same way for every kind.
 */
export interface GateData {
  values: Readonly<Record<string, readonly number[]>>
  /** Names of the firing alerts, for the alerts kind. */
  alerts?: readonly string[]
}

export interface GateKindSpec<Schema extends z.ZodObject = z.ZodObject> {
  kind: string
  purpose: string
  config: Schema
  /** Instant queries, or range queries over the evaluation window (statistical judges). */
  sampling: 'instant' | 'range'
  /** PromQL templates by role; variables are filled and escaped by the caller. */
  queries(config: z.output<Schema>): Record<string, string>
  judge(data: GateData, config: z.output<Schema>): Judgement
}

/** A shift relative to its base; from a zero base any shift is infinite in its direction. */
export function relativeShift(shift: number, base: number): number {
  return base === 0 ? (shift === 0 ? 0 : Infinity * Math.sign(shift)) : shift / Math.abs(base)
}

/** Four significant digits; the range test uses the rounded value, so 0.000999999 prints as 0.001 like its neighbours. */
export const fmt = (n: number) => {
  if (Number.isInteger(n)) return String(n)
  const rounded = Number(n.toPrecision(4))
  return Math.abs(rounded) >= 1e-3 && Math.abs(rounded) < 1e6 ? String(rounded) : n.toExponential(3)
}
export const pct = (ratio: number) => `${ratio >= 0 ? '+' : ''}${fmt(ratio * 100)}%`
