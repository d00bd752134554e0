/**
 * One measurement of one gate at one time: fill the gate's query templates, ask Prometheus (or
 * Alertmanager), turn the answer into GateData, apply the rules every kind shares (sample size,
 * no data) and let the kind judge. Nothing here throws for a failed query: the failure becomes a
 * measurement with verdict `error`, and the loop decides what a run of errors means.
 */
import { formatDuration, parseDuration } from '../config/duration.js'
import type { GateConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import type { AlertMatcher, AlertmanagerClient } from '../prometheus/alertmanager.js'
import type { PrometheusClient, QueryData, RangeSeries } from '../prometheus/client.js'
import { isPrometheusError } from '../prometheus/errors.js'
import { QueryTemplateError, renderQuery, type MatchOperator } from '../prometheus/promql.js'
import type { GateData, GateKindSpec, GateVerdict, Judgement } from './kinds/common.js'
import { fmt } from './kinds/common.js'
import { gateKind } from './kinds/index.js'

export type MeasurementVerdict = GateVerdict | 'error'

export interface Measurement {
  gate: string
  /** Evaluation time, unix seconds. */
  time: number
  verdict: MeasurementVerdict
  reason: string
  /** The numbers the verdict rests on (the kind's `observed`, or the sample size). */
  observed: Record<string, number>
  /** Finite values per query role for instant queries; for range queries, the sample count per role. */
  values: Record<string, number[]>
  /** Seconds of data the query window covered ({{ elapsed }} and range queries). */
  lookbackSeconds: number
  /** True when the verdict came from the gate's noData policy, not from data. */
  noData?: boolean
  /** The failure class of an `error` measurement (network, timeout, http, bad_data, …). */
  errorKind?: string
}

/** Where a gate's data comes from; either client may be absent when no gate needs it. */
export interface DataSources {
  prometheus?: PrometheusClient
  alertmanager?: AlertmanagerClient
}

export interface MeasureContext {
  sources: DataSources
  /** The config's `gates.variables` plus runId. */
  variables: Readonly<Record<string, string>>
  intervalSeconds: number
  /** Start of the evaluation window (unix seconds): the loop's start, or --from in a backtest. */
  windowStart: number
  /** The config file, for template error positions. */
  source: string
  signal?: AbortSignal
}

/** A gate ready to be measured: its kind and its query templates by role (minSamples included). */
export interface PreparedGate {
  config: GateConfig
  kind: GateKindSpec
  index: number
  templates: Record<string, string>
}

const MIN_SAMPLES_ROLE = 'minSamples'

/** The gate with its kind and its PromQL templates by role; the sample-size query rides along. */
export function prepareGate(config: GateConfig, index: number): PreparedGate {
  const kind = gateKind(config.kind)
  const queries = kind.queries(config)
  const templates = 'minSamples' in config && config.minSamples ? { ...queries, [MIN_SAMPLES_ROLE]: config.minSamples.query } : queries
  return { config, kind, index, templates }
}

/** An alerts gate that asks Alertmanager, not Prometheus' ALERTS series. */
export function readsAlertmanager(config: GateConfig): config is Extract<GateConfig, { kind: 'alerts' }> & { source: 'alertmanager' } {
  return config.kind === 'alerts' && config.source === 'alertmanager'
}

/**
 * How far back a measurement at `time` looks: from the window start, but at least one interval,
 * because the canary has taken traffic before the gates start and a zero-length window holds nothing.
 */
export function lookbackSeconds(time: number, ctx: Pick<MeasureContext, 'windowStart' | 'intervalSeconds'>): number {
  return Math.max(Math.round(time - ctx.windowStart), Math.round(ctx.intervalSeconds), 1)
}

/**
 * The template variables at one measurement: the configured ones, runId, and two the loop owns:
 * `{{ elapsed }}` (the lookback as a duration, for "since the start" counts) and `{{ interval }}`.
 */
export function templateVariables(ctx: Pick<MeasureContext, 'variables' | 'intervalSeconds'>, lookback: number): Record<string, string> {
  return { ...ctx.variables, elapsed: `${lookback}s`, interval: formatDuration(Math.round(ctx.intervalSeconds * 1000)) }
}

/** The gate's queries with variables filled in and escaped; a template that cannot be filled is a config error. */
export function resolveQueries(gate: PreparedGate, variables: Readonly<Record<string, string>>, source: string): Record<string, string> {
  return Object.fromEntries(Object.entries(gate.templates).map(([role, template]) => [role, renderGateQuery(template, variables, `${source} gates.checks[${gate.index}].${role}`)]))
}

/** One query template filled in; a template that cannot be filled safely is a config error, not a gate result. */
export function renderGateQuery(template: string, variables: Readonly<Record<string, string>>, source: string): string {
  try {
    return renderQuery(template, variables, { source })
  } catch (error) {
    if (error instanceof QueryTemplateError) throw new UsageError(error.message)
    throw error
  }
}

/** The step of a range-sampled kind (its `step` field), else the loop interval. */
function rangeStepSeconds(gate: PreparedGate, intervalSeconds: number): number {
  const step = (gate.config as { step?: unknown }).step
  return typeof step === 'string' ? parseDuration(step) / 1000 : intervalSeconds
}

/** Prometheus refuses more than 11,000 points per series; widen the step rather than fail. */
function clampStep(rangeSeconds: number, stepSeconds: number): number {
  return Math.max(stepSeconds, Math.ceil(rangeSeconds / 11_000))
}

/** The raw answer of every role of one gate at one time, before any verdict. */
export type RawAnswer = { kind: 'values'; values: Record<string, QueryValues> } | { kind: 'alerts'; alerts: string[] }

/** Values one query returned: finite ones kept, non-finite ones only counted (they mean "no data"). */
export interface QueryValues {
  finite: number[]
  nonFinite: number
  series: number
}

/** Measures one gate at `time` (unix seconds). Never throws: failures become `error` measurements. */
export async function measureGate(gate: PreparedGate, time: number, ctx: MeasureContext): Promise<Measurement> {
  const lookback = lookbackSeconds(time, ctx)
  try {
    const answer = await fetchAnswer(gate, time, lookback, ctx)
    return judgeAnswer(gate, time, lookback, answer)
  } catch (error) {
    return errorMeasurement(gate, time, lookback, error)
  }
}

export function errorMeasurement(gate: PreparedGate, time: number, lookback: number, error: unknown): Measurement {
  const kind = isPrometheusError(error) ? error.kind : undefined
  // PrometheusError messages are redacted at the source; anything else is our own text.
  const message = error instanceof Error ? error.message : String(error)
  const hint = kind === 'bad_data' || kind === 'execution' ? ' (the query itself is wrong: fix it in the config)' : ''
  return {
    gate: gate.config.name,
    time,
    verdict: 'error',
    reason: `${message}${hint}`,
    observed: {},
    values: {},
    lookbackSeconds: lookback,
    ...(kind ? { errorKind: kind } : {})
  }
}

async function fetchAnswer(gate: PreparedGate, time: number, lookback: number, ctx: MeasureContext): Promise<RawAnswer> {
  const config = gate.config
  if (readsAlertmanager(config)) {
    const alertmanager = ctx.sources.alertmanager
    if (!alertmanager) throw new UsageError(`gate ${config.name} reads Alertmanager, but no alertmanager is configured`)
    const { alerts } = await alertmanager.getAlerts({
      filter: config.matchers.map(parseMatcher),
      silenced: config.includeSilenced,
      inhibited: config.includeSilenced,
      ...(ctx.signal ? { signal: ctx.signal } : {})
    })
    return { kind: 'alerts', alerts: alertNames(alerts.map((a) => a.labels)) }
  }
  const prometheus = ctx.sources.prometheus
  if (!prometheus) throw new UsageError(`gate ${config.name} queries Prometheus, but no prometheus is configured`)
  const queries = resolveQueries(gate, templateVariables(ctx, lookback), ctx.source)
  const signal = ctx.signal ? { signal: ctx.signal } : {}
  const roles = Object.entries(queries)
  const answers = await Promise.all(
    roles.map(async ([role, query]): Promise<[string, RangeSeries[] | QueryData]> => {
      if (gate.kind.sampling === 'range' && role !== MIN_SAMPLES_ROLE) {
        const step = clampStep(lookback, rangeStepSeconds(gate, ctx.intervalSeconds))
        const { data } = await prometheus.queryRange(query, { start: time - lookback, end: time, stepSeconds: step, ...signal })
        return [role, data.result]
      }
      const { data } = await prometheus.query(query, { time, ...signal })
      return [role, data]
    })
  )
  return rawAnswer(gate, answers)
}

/** What the roles' queries answered (instant data, or a range query's series), as one raw answer of the gate. */
export function rawAnswer(gate: PreparedGate, answers: ReadonlyArray<readonly [string, QueryData | RangeSeries[]]>): RawAnswer {
  if (gate.config.kind === 'alerts') {
    const data = answers[0]?.[1] as QueryData
    if (data.resultType !== 'vector') throw new Error(`the ALERTS query answered a ${data.resultType}, expected a vector`)
    return { kind: 'alerts', alerts: alertNames(data.result.map((s) => s.metric)) }
  }
  const values: Record<string, QueryValues> = {}
  for (const [role, answer] of answers) values[role] = Array.isArray(answer) ? rangeValues(answer) : instantValues(answer, role)
  return { kind: 'values', values }
}

/** Names of the firing alerts, each once, sorted. */
function alertNames(labelSets: Array<Record<string, string>>): string[] {
  return [...new Set(labelSets.map((l) => l.alertname ?? '(no alertname)'))].sort()
}

/** A gate's matcher text (validated by the config schema) as an Alertmanager filter. */
export function parseMatcher(text: string): AlertMatcher {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/s.exec(text)
  if (!match) throw new UsageError(`alert matcher ${JSON.stringify(text)} is not name="value"`)
  const value = (match[3] ?? '').replace(/\\(.)/gs, (_, ch: string) => (ch === 'n' ? '\n' : ch))
  return { name: match[1]!, operator: match[2] as MatchOperator, value }
}

function split(values: readonly number[], series: number): QueryValues {
  const finite = values.filter((v) => Number.isFinite(v))
  return { finite, nonFinite: values.length - finite.length, series }
}

function instantValues(data: QueryData, role: string): QueryValues {
  switch (data.resultType) {
    case 'vector':
      return split(
        data.result.map((s) => s.value),
        data.result.length
      )
    case 'scalar':
      return split([data.result.value], 1)
    case 'matrix':
      throw new UsageError(`the ${role} query returns a range vector (it ends in [..]); wrap it in a function such as rate() or max_over_time()`)
    case 'string':
      throw new UsageError(`the ${role} query returns a string, not a number`)
  }
}

/** All samples of all series of a range query, in time order per series. */
function rangeValues(series: readonly RangeSeries[]): QueryValues {
  return split(
    series.flatMap((s) => s.samples.map((p) => p.value)),
    series.length
  )
}

/**
 * The rules every kind shares, in order: too small a sample is inconclusive (low traffic is not a
 * failure); a role without finite data gets the gate's noData verdict; otherwise the kind judges.
 */
export function judgeAnswer(gate: PreparedGate, time: number, lookback: number, answer: RawAnswer): Measurement {
  const base = { gate: gate.config.name, time, lookbackSeconds: lookback }
  if (answer.kind === 'alerts') {
    const judgement = gate.kind.judge({ values: {}, alerts: answer.alerts }, gate.config as never)
    return { ...base, ...judgement, values: {} }
  }
  const roles = Object.keys(answer.values).filter((r) => r !== MIN_SAMPLES_ROLE)
  const values: Record<string, number[]> =
    gate.kind.sampling === 'range'
      ? Object.fromEntries(Object.entries(answer.values).map(([role, v]) => [role, role === MIN_SAMPLES_ROLE ? v.finite : [v.finite.length]]))
      : Object.fromEntries(Object.entries(answer.values).map(([role, v]) => [role, v.finite]))

  const minSamples = 'minSamples' in gate.config ? gate.config.minSamples : undefined
  const sample = answer.values[MIN_SAMPLES_ROLE]
  if (minSamples && sample) {
    const size = sample.finite.reduce((a, b) => a + b, 0)
    if (size < minSamples.min)
      return { ...base, verdict: 'inconclusive', reason: `sample size ${fmt(size)} is below the minimum ${fmt(minSamples.min)}: too little traffic to judge`, observed: { sampleSize: size, minSamples: minSamples.min }, values }
  }

  const missing = roles.filter((role) => answer.values[role]!.finite.length === 0)
  if (missing.length > 0) {
    const policy = 'noData' in gate.config ? gate.config.noData : 'inconclusive'
    const what = missing.map((role) => describeMissing(role, answer.values[role]!)).join('; ')
    return { ...base, verdict: policy, reason: `no data: ${what} (noData: ${policy})`, observed: {}, values, noData: true }
  }

  const data: GateData = { values: Object.fromEntries(roles.map((role) => [role, answer.values[role]!.finite])) }
  const judgement: Judgement = gate.kind.judge(data, gate.config as never)
  const dropped = roles.reduce((n, role) => n + answer.values[role]!.nonFinite, 0)
  const note = dropped > 0 ? ` (${dropped} NaN/Inf value(s) left out)` : ''
  return { ...base, verdict: judgement.verdict, reason: `${judgement.reason}${note}`, observed: judgement.observed, values }
}

function describeMissing(role: string, v: QueryValues): string {
  if (v.series === 0) return `${role} returned no series`
  return `${role} returned only NaN/Inf (${v.nonFinite} value(s))`
}
