import { parseDuration } from '../config/duration.js'
import { lookbackSeconds, prepareGate, readsAlertmanager, renderGateQuery, templateVariables } from './measure.js'
import type { StageContext, StageOutput } from '../pipeline.js'

/** Dry run: every query with its variables filled in (escaped), and the evaluation schedule. */
export function planGates({ config, options }: StageContext): StageOutput {
  const gates = config!.gates!
  // The same variables a live measurement gets; elapsed is the first measurement's lookback, rounded as live.
  const intervalSeconds = parseDuration(gates.interval) / 1000
  const variables = templateVariables({ variables: { ...gates.variables, runId: options.runId }, intervalSeconds }, lookbackSeconds(intervalSeconds, { windowStart: 0, intervalSeconds }))
  const plan = gates.checks.map((gate, i) => ({
    gate: gate.name,
    kind: gate.kind,
    critical: gate.critical,
    noData: 'noData' in gate ? gate.noData : 'n/a',
    queries: Object.fromEntries(Object.entries(prepareGate(gate, i).templates).map(([role, q]) => [role, renderGateQuery(q, variables, `gates.checks[${i}].${role}`)])),
    ...(readsAlertmanager(gate) ? { alertmanager: { matchers: gate.matchers, includeSilenced: gate.includeSilenced } } : {})
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
