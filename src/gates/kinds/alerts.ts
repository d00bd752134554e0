import { z } from 'zod'
import { gateCommon, type GateKindSpec } from './common.js'

const matcher = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)".*"$/s, 'expected a matcher such as severity="critical" or service=~"checkout.*"')

const config = z
  .object({
    name: gateCommon.name,
    description: gateCommon.description,
    critical: gateCommon.critical,
    kind: z.literal('alerts'),
    source: z.enum(['alertmanager', 'prometheus']).default('alertmanager').describe('Where to read alerts from.'),
    matchers: z.array(matcher).default([]).describe('Alertmanager-style matchers; all must match.'),
    includeSilenced: z.boolean().default(false).describe('Also count silenced and inhibited alerts.')
  })
  .strict()

/** The ALERTS series query for Prometheus-sourced alert gates. */
export function alertsQuery(matchers: readonly string[]): string {
  return `ALERTS{${['alertstate="firing"', ...matchers].join(',')}}`
}

export const alerts: GateKindSpec<typeof config> = {
  kind: 'alerts',
  purpose: 'No firing alert matches the matchers (Alertmanager, or the ALERTS series in Prometheus).',
  config,
  sampling: 'instant',
  queries: (g): Record<string, string> => (g.source === 'prometheus' ? { query: alertsQuery(g.matchers) } : {}),
  // An empty answer means nothing is firing; only an unreachable source is missing data.
  judge({ alerts: firing = [] }) {
    return firing.length === 0
      ? { verdict: 'pass', reason: 'no matching alert is firing', observed: { firing: 0 } }
      : { verdict: 'fail', reason: `${firing.length} alert(s) firing: ${firing.slice(0, 5).join(', ')}${firing.length > 5 ? ', …' : ''}`, observed: { firing: firing.length } }
  }
}
