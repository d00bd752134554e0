import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

export const compare = {
  kind: 'compare',
  purpose: 'The canary stays within a relative change of the baseline (e.g. P99 at most +15%).',
  config: z
    .object({
      ...gateCommon,
      kind: z.literal('compare'),
      canary: z.string().describe('PromQL for the canary value.'),
      baseline: z.string().describe('PromQL for the baseline: the stable track, or the same query offset before the deploy.'),
      maxIncrease: z.number().positive().optional().describe('Largest allowed relative rise, 0.15 = +15%.'),
      maxDecrease: z.number().positive().optional().describe('Largest allowed relative fall, for metrics where lower is worse.'),
      minAbsoluteChange: z
        .number()
        .nonnegative()
        .default(0)
        .describe('Changes smaller than this absolute amount never fail, so tiny baselines cannot trip the gate.')
    })
    .strict()
    .refine((g) => g.maxIncrease !== undefined || g.maxDecrease !== undefined, {
      message: 'a compare gate needs maxIncrease or maxDecrease'
    })
} satisfies GateKindSpec
