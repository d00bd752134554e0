import { z } from 'zod'
import { duration } from '../../config/duration.js'
import { hodgesLehmann, mannWhitney, median } from '../stats.js'
import { fmt, gateCommon, pct, relativeShift, type GateKindSpec } from './common.js'

const config = z
  .object({
    ...gateCommon,
    kind: z.literal('mann-whitney'),
    canary: z.string().describe('PromQL range-queried for canary samples.'),
    baseline: z.string().describe('PromQL range-queried for baseline samples.'),
    direction: z.enum(['increase', 'decrease', 'either']).default('increase').describe('Which change is bad.'),
    confidence: z.number().gt(0.5).lt(1).default(0.98).describe('Confidence level of the test.'),
    effectSize: z.number().nonnegative().default(0.1).describe('Smallest relative shift (Hodges-Lehmann estimate over the baseline median) that counts.'),
    minSamplesPerSide: z.number().int().min(3).default(10).describe('Fewer samples on either side is inconclusive.'),
    step: duration.default('15s').describe('Range-query resolution.')
  })
  .strict()

/**
 * Kayenta's NetflixACAJudge classifies a metric with a Mann-Whitney U test plus an effect-size
 * threshold; this judge does the same on the samples of the evaluation window: it fails only when the
 * difference is significant in the bad direction AND the shift is larger than effectSize.
 */
export const mannWhitneyKind: GateKindSpec<typeof config> = {
  kind: 'mann-whitney',
  purpose: 'Canary and baseline samples differ significantly in the bad direction (Mann-Whitney U with an effect size, as Kayenta judges).',
  config,
  sampling: 'range',
  queries: (g) => ({ canary: g.canary, baseline: g.baseline }),
  judge({ values }, g) {
    const canary = values.canary!
    const baseline = values.baseline!
    if (canary.length < g.minSamplesPerSide || baseline.length < g.minSamplesPerSide)
      return { verdict: 'inconclusive', reason: `${canary.length} canary and ${baseline.length} baseline samples, fewer than ${g.minSamplesPerSide} per side`, observed: {} }
    const test = mannWhitney(canary, baseline)
    const base = median(baseline)
    const shift = hodgesLehmann(canary, baseline)
    const effect = relativeShift(shift, base)
    const alpha = 1 - g.confidence
    const p = g.direction === 'increase' ? test.pGreater : g.direction === 'decrease' ? test.pLess : Math.min(1, 2 * Math.min(test.pGreater, test.pLess))
    const bad = g.direction === 'increase' ? effect > g.effectSize : g.direction === 'decrease' ? -effect > g.effectSize : Math.abs(effect) > g.effectSize
    const observed = { p, effect, canaryMedian: median(canary), baselineMedian: base, canarySamples: canary.length, baselineSamples: baseline.length }
    const detail = `shift ${pct(effect)} (canary median ${fmt(observed.canaryMedian)}, baseline ${fmt(base)}), p=${fmt(p)}`
    return p < alpha && bad
      ? { verdict: 'fail', reason: `${detail}: significant at ${fmt(g.confidence * 100)}% and beyond the ${pct(g.effectSize)} effect size`, observed }
      : { verdict: 'pass', reason: detail, observed }
  }
}
