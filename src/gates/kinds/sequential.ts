import { z } from 'zod'
import { incompleteBeta, logBeta } from '../stats.js'
import { fmt, gateCommon, pct, type GateKindSpec } from './common.js'

const config = z
  .object({
    ...gateCommon,
    kind: z.literal('sequential'),
    canaryErrors: z.string().describe('PromQL: canary error count since the start, e.g. sum(increase(errors[{{ elapsed }}])).'),
    canaryTotal: z.string().describe('PromQL: canary request count since the start.'),
    baselineErrors: z.string().describe('PromQL: baseline error count over the same time.'),
    baselineTotal: z.string().describe('PromQL: baseline request count over the same time.'),
    alpha: z.number().gt(0).lt(0.5).default(0.01).describe('Bound on the false-fail probability over all looks together.'),
    minRelativeIncrease: z.number().nonnegative().default(0.5).describe('Error-ratio rise worth detecting, 0.5 = +50% over the baseline.')
  })
  .strict()

/**
 * log of the mixture likelihood ratio of x errors in n requests against the null "error rate ≤ p0",
 * with a Beta(a, b) prior truncated to (p0, 1). For any true rate ≤ p0 the ratio is a nonnegative
 * supermartingale, so by Ville's inequality it ever reaches 1/alpha with probability ≤ alpha — looking
 * after every interval does not inflate false fails (a one-sided mixture SPRT; Robbins 1970,
 * Johari et al. 2017 "always valid p-values").
 */
export function logMixtureRatio(x: number, n: number, p0: number, a: number, b: number): number {
  // ∫_{p0}^1 p^(x+a-1) (1-p)^(n-x+b-1) dp = B(x+a, n-x+b) · (1 − I_p0(x+a, n-x+b)); the tail via symmetry.
  const logPosteriorTail = Math.log(incompleteBeta(1 - p0, n - x + b, x + a))
  const logPriorTail = Math.log(incompleteBeta(1 - p0, b, a))
  const logNull = x * Math.log(p0) + (n - x) * Math.log1p(-p0)
  return logBeta(x + a, n - x + b) + logPosteriorTail - logBeta(a, b) - logPriorTail - logNull
}

export const sequential: GateKindSpec<typeof config> = {
  kind: 'sequential',
  purpose: 'Anytime-valid test of the canary error ratio against the baseline; repeated looks do not inflate false aborts.',
  config,
  sampling: 'instant',
  queries: (g) => ({ canaryErrors: g.canaryErrors, canaryTotal: g.canaryTotal, baselineErrors: g.baselineErrors, baselineTotal: g.baselineTotal }),
  judge({ values }, g) {
    const sum = (role: string) => Math.round(values[role]!.reduce((s, v) => s + v, 0))
    const x = sum('canaryErrors')
    const n = sum('canaryTotal')
    const baselineTotal = sum('baselineTotal')
    if (baselineTotal === 0 || n === 0) return { verdict: 'inconclusive', reason: `no requests yet (canary ${n}, baseline ${baselineTotal})`, observed: {} }
    const baselineRatio = sum('baselineErrors') / baselineTotal
    // A baseline with no errors still has a rate below 1/total; never test against zero.
    const p0 = Math.min(0.99, Math.max(baselineRatio, 1 / baselineTotal) * (1 + g.minRelativeIncrease))
    const priorMean = Math.min(0.5, 2 * p0)
    const logRatio = x / n <= p0 ? -Infinity : logMixtureRatio(Math.min(x, n), n, p0, 1, (1 - priorMean) / priorMean)
    const threshold = Math.log(1 / g.alpha)
    const observed = { canaryRatio: x / n, baselineRatio, nullRatio: p0, evidence: Number.isFinite(logRatio) ? Math.exp(Math.min(logRatio, 700)) : 0, threshold: 1 / g.alpha }
    const detail = `canary ${x}/${n} = ${fmt(x / n)} vs baseline ${fmt(baselineRatio)} (tested against ${fmt(p0)}, ${pct(g.minRelativeIncrease)})`
    return logRatio >= threshold
      ? { verdict: 'fail', reason: `${detail}: evidence ${fmt(observed.evidence)} ≥ ${fmt(1 / g.alpha)}, the error ratio rose`, observed }
      : { verdict: 'pass', reason: `${detail}: evidence ${fmt(observed.evidence)} < ${fmt(1 / g.alpha)}`, observed }
  }
}
