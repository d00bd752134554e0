import { z } from 'zod'
import { fmt, gateCommon, pct, relativeShift, type GateKindSpec } from './common.js'

const config = z
  .object({
    ...gateCommon,
    kind: z.literal('compare'),
    canary: z.string().describe('PromQL for the canary value (one series).'),
    baseline: z.string().describe('PromQL for the baseline: the stable track, or the same query offset before the deploy (one series).'),
    maxIncrease: z.number().positive().optional().describe('Largest allowed relative rise, 0.15 = +15%.'),
    maxDecrease: z.number().positive().optional().describe('Largest allowed relative fall, for metrics where lower is worse.'),
    minAbsoluteChange: z.number().nonnegative().default(0).describe('Changes smaller than this absolute amount never fail, so tiny baselines cannot trip the gate.')
  })
  .strict()
  .refine((g) => g.maxIncrease !== undefined || g.maxDecrease !== undefined, { message: 'a compare gate needs maxIncrease or maxDecrease' })

export const compare: GateKindSpec<typeof config> = {
  kind: 'compare',
  purpose: 'The canary stays within a relative change of the baseline (e.g. P99 at most +15%).',
  config,
  sampling: 'instant',
  queries: (g) => ({ canary: g.canary, baseline: g.baseline }),
  judge({ values }, g) {
    if (values.canary!.length > 1 || values.baseline!.length > 1)
      return { verdict: 'inconclusive', reason: `expected one series each, got ${values.canary!.length} canary and ${values.baseline!.length} baseline: aggregate the queries (sum, max, histogram_quantile)`, observed: {} }
    const canary = values.canary![0]!
    const baseline = values.baseline![0]!
    const change = relativeShift(canary - baseline, baseline)
    const observed = { canary, baseline, change }
    const within = Math.abs(canary - baseline) <= g.minAbsoluteChange
    const detail = `canary ${fmt(canary)} vs baseline ${fmt(baseline)} (${pct(change)})`
    if (!within && g.maxIncrease !== undefined && change > g.maxIncrease) return { verdict: 'fail', reason: `${detail} exceeds the allowed ${pct(g.maxIncrease)}`, observed }
    if (!within && g.maxDecrease !== undefined && -change > g.maxDecrease) return { verdict: 'fail', reason: `${detail} falls more than the allowed ${pct(-g.maxDecrease)}`, observed }
    return { verdict: 'pass', reason: within && change !== 0 ? `${detail}, within the absolute floor ${fmt(g.minAbsoluteChange)}` : detail, observed }
  }
}
