import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

export const mannWhitney = {
  kind: 'mann-whitney',
  purpose: 'Canary and baseline samples differ significantly in the bad direction (Mann-Whitney U, as Kayenta judges).',
  config: z
    .object({
      ...gateCommon,
      kind: z.literal('mann-whitney'),
      canary: z.string().describe('PromQL range-queried for canary samples.'),
      baseline: z.string().describe('PromQL range-queried for baseline samples.'),
      direction: z.enum(['increase', 'decrease', 'either']).default('increase').describe('Which change is bad.'),
      confidence: z.number().gt(0.5).lt(1).default(0.98).describe('Confidence level of the test.'),
      effectSize: z.number().nonnegative().default(0.1).describe('Smallest relative change of the medians that counts.'),
      step: z.string().default('15s').describe('Range-query resolution.')
    })
    .strict()
} satisfies GateKindSpec
