import { z } from 'zod'
import { duration } from '../../config/duration.js'
import { gateCommon, type GateKindSpec } from './common.js'

const window = z
  .object({ long: duration, short: duration, factor: z.number().positive() })
  .strict()
  .describe('A window pair: fail when both burn faster than factor.')

export const burnRate = {
  kind: 'burn-rate',
  purpose: 'Multi-window SLO burn rate (SRE workbook) stays below the alerting factors.',
  config: z
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
        .describe('Window pairs; the SRE workbook page-level pairs by default.')
    })
    .strict()
} satisfies GateKindSpec
