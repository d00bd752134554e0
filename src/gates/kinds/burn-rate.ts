import { z } from 'zod'
import { duration } from '../../config/duration.js'
import { fmt, gateCommon, type GateKindSpec } from './common.js'

const window = z.object({ long: duration, short: duration, factor: z.number().positive() }).strict().describe('A window pair: fail when both burn faster than factor.')

const config = z
  .object({
    ...gateCommon,
    kind: z.literal('burn-rate'),
    errorRatio: z.string().describe('PromQL for the error ratio with a {{ window }} placeholder for the range.'),
    objective: z.number().gt(0).lt(1).describe('SLO target, e.g. 0.999.'),
    windows: z
      .array(window)
      .min(1)
      .default([
        { long: '1h', short: '5m', factor: 14.4 },
        { long: '6h', short: '30m', factor: 6 }
      ])
      .describe('Window pairs; by default the SRE workbook\'s page-level pairs (2% of a 30-day budget in 1h, 5% in 6h).')
  })
  .strict()

const role = (w: string) => `errorRatio[${w}]`

/** Multi-window, multi-burn-rate alerting as the SRE workbook (ch. 5) defines it, used as a release gate. */
export const burnRate: GateKindSpec<typeof config> = {
  kind: 'burn-rate',
  purpose: 'Multi-window SLO burn rate (SRE workbook) stays below the alerting factors.',
  config,
  sampling: 'instant',
  // The window is a validated duration token, so it is inserted as-is; other variables are escaped later.
  queries: (g) => Object.fromEntries(g.windows.flatMap((w) => [w.long, w.short]).map((w) => [role(w), g.errorRatio.replaceAll(/\{\{\s*window\s*\}\}/g, w)])),
  judge({ values }, g) {
    const budget = 1 - g.objective
    const burn = (w: string) => Math.max(...values[role(w)]!) / budget
    const observed: Record<string, number> = {}
    for (const w of g.windows) {
      const long = burn(w.long)
      const short = burn(w.short)
      observed[`burn[${w.long}]`] = long
      observed[`burn[${w.short}]`] = short
      if (long > w.factor && short > w.factor)
        return { verdict: 'fail', reason: `burning the error budget ${fmt(long)}× over ${w.long} and ${fmt(short)}× over ${w.short}, above ${fmt(w.factor)}×`, observed }
    }
    return { verdict: 'pass', reason: g.windows.map((w) => `${fmt(observed[`burn[${w.long}]`]!)}×/${w.long}, ${fmt(observed[`burn[${w.short}]`]!)}×/${w.short} (limit ${fmt(w.factor)}×)`).join('; '), observed }
  }
}
