/**
 * The SLO guard: while an experiment runs, each guard gate is measured every guardInterval with the
 * gates stage's own `measureGate` (same queries, same judges). One failing measurement is a breach and
 * stops the experiment; errors and inconclusive measurements are kept and reported, never a breach.
 */
import { parseDuration } from '../config/duration.js'
import type { Config, ExperimentConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import { measureGate, readsAlertmanager, prepareGate, type Measurement, type PreparedGate } from '../gates/measure.js'
import { closeDataSources, openDataSources } from '../gates/sources.js'

export interface Guard {
  readonly gates: readonly string[]
  readonly intervalMs: number
  /** Measures every guard gate once, now. A breach is the first failing measurement. */
  check(signal?: AbortSignal): Promise<{ measurements: Measurement[]; breach?: Measurement }>
  close(): Promise<void>
}

export interface GuardContext {
  config: Config
  experiment: ExperimentConfig
  /** The config file as shown to the user (template error positions). */
  configFile: string
  baseDir: string
  runId: string
  env: NodeJS.ProcessEnv
}

/** Builds the guard of one experiment, or undefined when it names no gates. */
export async function createGuard(ctx: GuardContext): Promise<Guard | undefined> {
  const { config, experiment } = ctx
  if (experiment.guard.length === 0) return undefined
  const checks = config.gates?.checks ?? []
  const prepared: PreparedGate[] = experiment.guard.map((name) => {
    const index = checks.findIndex((g) => g.name === name)
    if (index < 0) throw new UsageError(`${ctx.configFile}: experiment ${experiment.name} guards with gate "${name}", which is not in gates.checks`)
    return prepareGate(checks[index]!, index)
  })
  const needsAlertmanager = prepared.some((g) => readsAlertmanager(g.config))
  const needsPrometheus = prepared.some((g) => !readsAlertmanager(g.config))
  if (needsPrometheus && !config.prometheus) throw new UsageError(`${ctx.configFile}: the guard of ${experiment.name} queries Prometheus, but there is no prometheus: section`)
  if (needsAlertmanager && !config.alertmanager) throw new UsageError(`${ctx.configFile}: the guard of ${experiment.name} reads Alertmanager, but there is no alertmanager: section`)

  const sources = openDataSources({ prometheus: needsPrometheus ? config.prometheus : undefined, alertmanager: needsAlertmanager ? config.alertmanager : undefined }, ctx)
  const intervalMs = parseDuration(experiment.guardInterval)
  const windowStart = Date.now() / 1000
  const variables = { ...(config.gates?.variables ?? {}), runId: ctx.runId }

  return {
    gates: experiment.guard,
    intervalMs,
    async check(signal) {
      const time = Date.now() / 1000
      const measurements = await Promise.all(prepared.map((gate) =>
        measureGate(gate, time, { sources, variables, intervalSeconds: intervalMs / 1000, windowStart, source: ctx.configFile, ...(signal ? { signal } : {}) })))
      const breach = measurements.find((m) => m.verdict === 'fail')
      return breach ? { measurements, breach } : { measurements }
    },
    close: () => closeDataSources(sources),
  }
}

/** "error-rate = 0.31 (max 0.05): 0.31 is above max 0.05" — the SLI, its values and why. */
export function describeMeasurement(m: Measurement): string {
  const values = Object.entries(m.observed).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(', ')
  return `${m.gate}: ${m.verdict}${values ? ` (${values})` : ''} — ${m.reason}`
}
