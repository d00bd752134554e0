import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

const matcher = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)".*"$/s, 'expected a matcher such as severity="critical" or service=~"checkout.*"')

export const alerts = {
  kind: 'alerts',
  purpose: 'No firing alert matches the matchers (Alertmanager, or the ALERTS series in Prometheus).',
  config: z
    .object({
      ...gateCommon,
      noData: gateCommon.noData.default('pass'),
      kind: z.literal('alerts'),
      source: z.enum(['alertmanager', 'prometheus']).default('alertmanager').describe('Where to read alerts from.'),
      matchers: z.array(matcher).default([]).describe('Alertmanager-style matchers; all must match.'),
      includeSilenced: z.boolean().default(false).describe('Also count silenced and inhibited alerts.')
    })
    .strict()
} satisfies GateKindSpec
