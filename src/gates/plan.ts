import type { GateConfig } from '../config/schema.js'
import { parseDuration } from '../config/duration.js'
import { gateKind } from './kinds/index.js'
import { templateVariables } from './measure.js'
import { UsageError } from '../errors.js'
import { QueryTemplateError, renderQuery } from '../prometheus/promql.js'
import type { StageContext, StageOutput } from '../pipeline.js'

/** The PromQL templates a gate runs, by role, from its kind; the sample-size query rides along. */
export function queriesOf(gate: GateConfig): Record<string, string> {
  const queries = gateKind(gate.kind).queries(gate)
  return 'minSamples' in gate && gate.minSamples ? { ...queries, minSamples: gate.minSamples.query } : queries
}

/** Dry run: every query with its variables filled in (escaped), and the evaluation schedule. */
export function planGates({ config, options }: StageContext): StageOutput {
  const gates = config!.gates!
  // The same variables a live measurement gets; elapsed is shown as the first interval's lookback.
  const intervalSeconds = parseDuration(gates.interval) / 1000
  const variables = templateVariables({ variables: { ...gates.variables, runId: options.runId }, intervalSeconds }, intervalSeconds)
  const render = (template: string, source: string) => {
    try {
      return renderQuery(template, variables, { source })
    } catch (err) {
      // A template that cannot be filled safely is a config error, not a gate result.
      if (err instanceof QueryTemplateError) throw new UsageError(err.message)
      throw err
    }
  }
  const plan = gates.checks.map((gate, i) => ({
    gate: gate.name,
    kind: gate.kind,
    critical: gate.critical,
    noData: 'noData' in gate ? gate.noData : 'n/a',
    queries: Object.fromEntries(Object.entries(queriesOf(gate)).map(([role, q]) => [role, render(q, `gates.checks[${i}].${role}`)])),
    ...(gate.kind === 'alerts' && gate.source === 'alertmanager' ? { alertmanager: { matchers: gate.matchers, includeSilenced: gate.includeSilenced } } : {})
  }))
  const schedule = gates.duration ? `every ${gates.interval} for ${gates.duration}` : `${gates.count} measurements every ${gates.interval}`
  return {
    result: {
      stage: 'gates',
      verdict: 'skipped',
      summary: `dry run: would evaluate ${gates.checks.length} gate(s) (${gates.checks.map((g) => g.name).join(', ')}), ${schedule}`,
      findings: [],
      details: [
        `schedule: ${schedule}${gates.initialDelay !== '0s' ? ` after ${gates.initialDelay}` : ''}; ${gates.consecutiveSuccesses} passing measurement(s) in a row to pass`,
        `prometheus: ${config?.prometheus?.url ?? '(not configured)'}; alertmanager: ${config?.alertmanager?.url ?? '(not configured)'}`,
        ...plan.flatMap((g) => [
          `gate ${g.gate} (${g.kind}${g.critical ? ', critical' : ''}${g.noData === 'n/a' ? '' : `, no data → ${g.noData}`})`,
          ...Object.entries(g.queries).map(([role, q]) => `  ${role}: ${q.replace(/\s*\n\s*/g, ' ').trim()}`),
          ...(g.alertmanager ? [`  alertmanager alerts matching ${g.alertmanager.matchers.join(', ') || '(any)'}${g.alertmanager.includeSilenced ? ', silenced included' : ''}`] : [])
        ])
      ],
      evidence: {
        plan,
        schedule: { interval: gates.interval, duration: gates.duration, count: gates.count, initialDelay: gates.initialDelay },
        prometheus: config?.prometheus?.url ?? null,
        alertmanager: config?.alertmanager?.url ?? null
      }
    }
  }
}
