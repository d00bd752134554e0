import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

export const threshold = {
  kind: 'threshold',
  purpose: 'Every value the query returns stays within min and max.',
  config: z
    .object({
      ...gateCommon,
      kind: z.literal('threshold'),
      query: z.string().describe('PromQL (a template: {{ var }} values are escaped).'),
      min: z.number().optional().describe('Fail below this value.'),
      max: z.number().optional().describe('Fail above this value.')
    })
    .strict()
    .refine((g) => g.min !== undefined || g.max !== undefined, { message: 'a threshold gate needs min or max' })
} satisfies GateKindSpec
