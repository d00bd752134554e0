import { z } from 'zod'
import { fmt, gateCommon, type GateKindSpec } from './common.js'

const config = z
  .object({
    ...gateCommon,
    noData: gateCommon.noData.default('fail'),
    kind: z.literal('presence'),
    query: z.string().describe('PromQL for the event rate, e.g. sum(rate(orders_created_total[2m])).'),
    min: z.number().nonnegative().describe('Fail when the rate falls to or below this value.')
  })
  .strict()

export const presence: GateKindSpec<typeof config> = {
  kind: 'presence',
  purpose: 'Business events keep flowing: the rate stays above a floor, and an absent series fails.',
  config,
  sampling: 'instant',
  queries: (g) => ({ query: g.query }),
  judge({ values }, g) {
    const rate = values.query!.reduce((a, b) => a + b, 0)
    return rate > g.min
      ? { verdict: 'pass', reason: `events at ${fmt(rate)}/s, above ${fmt(g.min)}`, observed: { rate, min: g.min } }
      : { verdict: 'fail', reason: `events at ${fmt(rate)}/s, not above ${fmt(g.min)}: the flow stopped`, observed: { rate, min: g.min } }
  }
}
