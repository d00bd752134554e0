import { z } from 'zod'

/** Fields every gate kind shares: identity, what to do without data, and how much data is enough. */
export const gateCommon = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes')
    .describe('Unique gate name; findings are reported as gate:<name>.'),
  description: z.string().optional().describe('What the gate protects, shown in the report.'),
  critical: z.boolean().default(false).describe('A critical gate that fails ends the evaluation at once.'),
  noData: z
    .enum(['fail', 'inconclusive', 'pass'])
    .default('inconclusive')
    .describe('Verdict of a measurement whose query returned no series or NaN. "pass" is allowed but never promotes on its own.'),
  minSamples: z
    .object({
      query: z.string().describe('PromQL giving the sample size, e.g. the canary request count over the window.'),
      min: z.number().nonnegative().describe('Below this the measurement is inconclusive instead of failing.')
    })
    .strict()
    .optional()
    .describe('Minimum sample size; low traffic makes a gate inconclusive, not failed.')
}

export interface GateKindSpec<Schema extends z.ZodObject = z.ZodObject> {
  kind: string
  purpose: string
  config: Schema
}
