import { z } from 'zod'
import { fmt, gateCommon, type GateKindSpec } from './common.js'

const config = z
  .object({
    ...gateCommon,
    kind: z.literal('threshold'),
    query: z.string().describe('PromQL (a template: {{ var }} values are escaped).'),
    min: z.number().optional().describe('Fail below this value.'),
    max: z.number().optional().describe('Fail above this value.')
  })
  .strict()
  .refine((g) => g.min !== undefined || g.max !== undefined, { message: 'a threshold gate needs min or max' })

export const threshold: GateKindSpec<typeof config> = {
  kind: 'threshold',
  purpose: 'Every value the query returns stays within min and max.',
  config,
  sampling: 'instant',
  queries: (g) => ({ query: g.query }),
  judge({ values }, g) {
    const series = values.query!
    const worst = g.max !== undefined ? Math.max(...series) : Math.min(...series)
    const observed = { value: worst, ...(g.min !== undefined ? { min: g.min } : {}), ...(g.max !== undefined ? { max: g.max } : {}) }
    if (g.max !== undefined && worst > g.max) return { verdict: 'fail', reason: `${fmt(worst)} is above max ${fmt(g.max)}`, observed }
    const lowest = Math.min(...series)
    if (g.min !== undefined && lowest < g.min) return { verdict: 'fail', reason: `${fmt(lowest)} is below min ${fmt(g.min)}`, observed: { ...observed, value: lowest } }
    const bounds = [g.min !== undefined ? `≥ ${fmt(g.min)}` : '', g.max !== undefined ? `≤ ${fmt(g.max)}` : ''].filter(Boolean).join(' and ')
    return { verdict: 'pass', reason: `${fmt(worst)} is ${bounds}`, observed }
  }
}
