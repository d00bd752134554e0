import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

export const sequential = {
  kind: 'sequential',
  purpose: 'Anytime-valid test of a canary error ratio against the baseline; repeated looks do not inflate false aborts.',
  config: z
    .object({
      ...gateCommon,
      kind: z.literal('sequential'),
      canaryErrors: z.string().describe('PromQL: canary error count since the start.'),
      canaryTotal: z.string().describe('PromQL: canary request count since the start.'),
      baselineErrors: z.string().describe('PromQL: baseline error count over the same time.'),
      baselineTotal: z.string().describe('PromQL: baseline request count over the same time.'),
      alpha: z.number().gt(0).lt(0.5).default(0.01).describe('Bound on the false-fail probability over all looks.'),
      minRelativeIncrease: z.number().nonnegative().default(0.5).describe('Error-ratio rise worth detecting, 0.5 = +50%.')
    })
    .strict()
} satisfies GateKindSpec
