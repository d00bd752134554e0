/**
 * Backtest: replay the gates over a past window, judging at every interval step exactly as the
 * loop would, and say when each gate would first have failed. Instant gates are fetched with one
 * range query per role (Prometheus evaluates a range query at each step as it would an instant
 * query); gates whose query depends on the step ({{ elapsed }}, range-sampled kinds) are measured
 * step by step. The decisions then come from the loop itself, run on a virtual clock.
 */
import type { GateConfig } from '../config/schema.js'
import type { PrometheusClient, QueryData } from '../prometheus/client.js'
import { alertsQuery } from './kinds/alerts.js'
import { runLoop, virtualClock, type LoopResult, type LoopSettings } from './loop.js'
import {
  errorMeasurement,
  judgeAnswer,
  lookbackSeconds,
  measureGate,
  prepareGate,
  rawAnswer,
  readsAlertmanager,
  resolveQueries,
  templateVariables,
  type MeasureContext,
  type Measurement,
  type PreparedGate
} from './measure.js'

export interface BacktestWindow {
  /** Unix seconds. */
  from: number
  to: number
}

export interface BacktestGate {
  gate: string
  /** Every step's measurement over the whole window, also after the loop would have stopped. */
  steps: Measurement[]
  /** The first step whose measurement failed. */
  firstFailure?: Measurement
  /** How the gate was read: Alertmanager has no history, so its gates read Prometheus' ALERTS series. */
  note?: string
}

export interface BacktestResult {
  window: BacktestWindow
  /** Step times, unix seconds. */
  times: number[]
  gates: BacktestGate[]
  /** What the loop would have decided over the window (its schedule stretched to the window). */
  loop: LoopResult
}

export type BacktestContext = Omit<MeasureContext, 'windowStart' | 'sources'> & { prometheus: PrometheusClient }

const ELAPSED = /\{\{\s*elapsed\s*(\|[^}]*)?\}\}/

/** The step times of the window: the loop's schedule from `from`, as many rounds as fit before `to`. */
export function backtestTimes(window: BacktestWindow, settings: LoopSettings): number[] {
  const times: number[] = []
  // The same arithmetic as runLoop's schedule, so a step and a round agree to the last bit.
  const startMs = window.from * 1000
  for (let round = 0; ; round++) {
    const due = startMs + settings.initialDelayMs + round * settings.intervalMs
    if (due > window.to * 1000) return times
    times.push(due / 1000)
  }
}

/** Alertmanager keeps no history; in a backtest an Alertmanager gate reads ALERTS{alertstate="firing"} instead. */
function asReplayable(config: GateConfig): { config: GateConfig; note?: string } {
  if (!readsAlertmanager(config)) return { config }
  return {
    config: { ...config, source: 'prometheus' },
    note: `read from Prometheus' ${alertsQuery(config.matchers)} series: Alertmanager keeps no history, and silences of the past are not known`
  }
}

export async function backtestGates(checks: readonly GateConfig[], settings: LoopSettings, window: BacktestWindow, ctx: BacktestContext): Promise<BacktestResult> {
  const times = backtestTimes(window, settings)
  const measureCtx: MeasureContext = { ...ctx, sources: { prometheus: ctx.prometheus }, windowStart: window.from }
  const gates: BacktestGate[] = []
  for (const [index, original] of checks.entries()) {
    const { config, note } = asReplayable(original)
    const prepared = prepareGate(config, index)
    const steps = stepsNeedOwnQuery(prepared) ? await measureEachStep(prepared, times, measureCtx) : await measureByRange(prepared, times, measureCtx, ctx.prometheus)
    const firstFailure = steps.find((m) => m.verdict === 'fail')
    gates.push({ gate: config.name, steps, ...(firstFailure ? { firstFailure } : {}), ...(note ? { note } : {}) })
  }
  // The loop decides; its measure function only looks the step up, on a clock starting at --from.
  const byGate = new Map(gates.map((g) => [g.gate, new Map(g.steps.map((m) => [m.time, m]))]))
  const loop = await runLoop(
    checks.map((c) => ({ name: c.name, critical: c.critical })),
    { ...settings, measurements: times.length },
    async (gate, time) => byGate.get(gate.name)!.get(time)!,
    { clock: virtualClock(window.from * 1000), ...(ctx.signal ? { signal: ctx.signal } : {}) }
  )
  return { window, times, gates, loop }
}

function stepsNeedOwnQuery(gate: PreparedGate): boolean {
  return gate.kind.sampling === 'range' || Object.values(gate.templates).some((t) => ELAPSED.test(t))
}

async function measureEachStep(gate: PreparedGate, times: readonly number[], ctx: MeasureContext): Promise<Measurement[]> {
  const out: Measurement[] = []
  for (const time of times) out.push(await measureGate(gate, time, ctx))
  return out
}

/** Largest number of steps asked for in one range query (Prometheus refuses more than 11,000). */
const MAX_POINTS = 10_000

async function measureByRange(gate: PreparedGate, times: readonly number[], ctx: MeasureContext, prometheus: PrometheusClient): Promise<Measurement[]> {
  if (times.length === 0) return []
  const step = ctx.intervalSeconds
  // Every step's lookback is the same once past the first interval; the queries do not depend on it.
  const queries = resolveQueries(gate, templateVariables(ctx, lookbackSeconds(times[0]!, ctx)), ctx.source)
  const perRole = new Map<string, QueryData[]>()
  try {
    for (const [role, query] of Object.entries(queries)) perRole.set(role, await rangeAsInstants(prometheus, query, times, step, ctx.signal))
  } catch (error) {
    return times.map((t) => errorMeasurement(gate, t, lookbackSeconds(t, ctx), error))
  }
  return times.map((time, i) => {
    const lookback = lookbackSeconds(time, ctx)
    try {
      return judgeAnswer(gate, time, lookback, rawAnswer(gate, [...perRole].map(([role, series]) => [role, series[i]!] as const)))
    } catch (error) {
      return errorMeasurement(gate, time, lookback, error)
    }
  })
}

/**
 * One query over the step times as range queries (chunked under the point limit), cut back into
 * what an instant query at each step would have answered. A series without a sample at a step
 * is absent at that step, as it would be in an instant vector.
 */
async function rangeAsInstants(prometheus: PrometheusClient, query: string, times: readonly number[], step: number, signal: AbortSignal | undefined): Promise<QueryData[]> {
  const out: QueryData[] = []
  for (let offset = 0; offset < times.length; offset += MAX_POINTS) {
    const chunk = times.slice(offset, offset + MAX_POINTS)
    const start = chunk[0]!
    const { data } = await prometheus.queryRange(query, { start, end: chunk.at(-1)!, stepSeconds: step, ...(signal ? { signal } : {}) })
    const slots = chunk.map((): QueryData => ({ resultType: 'vector', result: [] }))
    for (const series of data.result)
      for (const sample of series.samples) {
        const index = Math.round((sample.timestamp - start) / step)
        const slot = slots[index]
        if (slot?.resultType === 'vector') slot.result.push({ metric: series.metric, timestamp: sample.timestamp, value: sample.value })
      }
    out.push(...slots)
  }
  return out
}
