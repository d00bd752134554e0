import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

export const presence = {
  kind: 'presence',
  purpose: 'Business events keep flowing: the rate stays above a floor, and an absent series fails.',
  config: z
    .object({
      ...gateCommon,
      noData: gateCommon.noData.default('fail'),
      kind: z.literal('presence'),
      query: z.string().describe('PromQL for the event rate, e.g. sum(rate(orders_created_total[2m])).'),
      min: z.number().nonnegative().describe('Fail when the rate falls to or below this value.')
    })
    .strict()
} satisfies GateKindSpec
