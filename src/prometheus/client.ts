/**
 * Prometheus HTTP API client: instant and range queries sent as POST forms (long queries would
 * break URL length limits of proxies), decoded into numbers with NaN/±Inf preserved, with
 * warnings and infos surfaced and every failure typed (see errors.ts).
 */
import { PrometheusError } from './errors.js'
import { HttpTransport, type FailureDescription, type TransportOptions } from './transport.js'

export type Labels = Record<string, string>

export interface Sample {
  /** Unix time in seconds, as Prometheus reports it (may carry milliseconds as a fraction). */
  timestamp: number
  /** NaN, Infinity and -Infinity are kept: a gate must tell "no data" (NaN) from zero. */
  value: number
}

export interface InstantSeries extends Sample {
  metric: Labels
}

export interface RangeSeries {
  metric: Labels
  samples: Sample[]
}

export type VectorData = { resultType: 'vector'; result: InstantSeries[] }
export type MatrixData = { resultType: 'matrix'; result: RangeSeries[] }
export type ScalarData = { resultType: 'scalar'; result: Sample }
export type StringData = { resultType: 'string'; result: { timestamp: number; value: string } }
export type QueryData = VectorData | MatrixData | ScalarData | StringData

export interface QueryResponse<D extends QueryData = QueryData> {
  data: D
  /** Non-fatal problems the server reported (e.g. a failing remote-read backend); data is still valid. */
  warnings: string[]
  /** Info-level annotations (Prometheus ≥ 2.50), e.g. histogram_quantile monotonicity fixes. */
  infos: string[]
  /** HTTP attempts used, 1 when the first one succeeded. */
  attempts: number
}

/** Unix seconds, or a Date. */
export type Time = number | Date

export interface QueryOptions {
  /** Evaluation time; default: the server's now. */
  time?: Time
  /** Overrides the client's per-attempt timeout; also sent as the server-side `timeout`. */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RangeQueryOptions extends Omit<QueryOptions, 'time'> {
  start: Time
  end: Time
  /** Resolution step in seconds (> 0). */
  stepSeconds: number
}

export type PrometheusClientOptions = TransportOptions

export class PrometheusClient {
  private readonly transport: HttpTransport

  constructor(options: PrometheusClientOptions) {
    this.transport = new HttpTransport('Prometheus', options)
  }

  /** Every secret value the auth config names (and any token obtained so far), for core.setSecret. */
  secrets(): Promise<string[]> {
    return this.transport.auth.collectSecrets()
  }

  /** Removes known secret values from a text, e.g. before logging a server message. */
  redact(text: string): string {
    return this.transport.auth.redactor.redact(text)
  }

  async query(query: string, options: QueryOptions = {}): Promise<QueryResponse> {
    const form = new URLSearchParams({ query })
    if (options.time !== undefined) form.set('time', formatTime(options.time))
    return this.post('api/v1/query', form, options)
  }

  async queryRange(query: string, options: RangeQueryOptions): Promise<QueryResponse<MatrixData>> {
    const form = new URLSearchParams({
      query,
      start: formatTime(options.start),
      end: formatTime(options.end),
      step: String(options.stepSeconds)
    })
    const response = await this.post('api/v1/query_range', form, options)
    if (response.data.resultType !== 'matrix')
      throw new PrometheusError(`Prometheus range query answered resultType "${response.data.resultType}", expected "matrix"`, {
        kind: 'garbage',
        attempts: response.attempts
      })
    return response as QueryResponse<MatrixData>
  }

  close(): Promise<void> {
    return this.transport.close()
  }

  private async post(path: string, form: URLSearchParams, options: QueryOptions): Promise<QueryResponse> {
    const timeoutMs = options.timeoutMs ?? this.transport.timeoutMs
    // The server stops evaluating when we stop waiting, instead of burning its query slots.
    form.set('timeout', `${Math.max(1, Math.round(timeoutMs))}ms`)
    const response = await this.transport.send({
      method: 'POST',
      path,
      form,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      describeFailure: describePrometheusFailure
    })
    const envelope = this.transport.json(response)
    if (!isRecord(envelope)) throw this.transport.unusable(response, 'answer is not a JSON object')
    if (envelope.status !== 'success') {
      // A 2xx carrying an error envelope: some gateways do this; trust the errorType.
      const described = describePrometheusFailure(response.status, this.redact(response.body))
      throw new PrometheusError(this.redact(`Prometheus ${response.endpoint}: ${described.detail}`), {
        kind: described.kind === 'http' ? 'garbage' : described.kind,
        status: response.status,
        ...(described.errorType === undefined ? {} : { errorType: described.errorType }),
        attempts: response.attempts
      })
    }
    let data: QueryData
    try {
      data = decodeData(envelope.data)
    } catch (error) {
      throw this.transport.unusable(response, (error as Error).message)
    }
    return { data, warnings: stringList(envelope.warnings), infos: stringList(envelope.infos), attempts: response.attempts }
  }
}

/** Prometheus error envelopes carry errorType; anything else (proxy pages) is plain HTTP. */
function describePrometheusFailure(status: number, body: string): FailureDescription {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { kind: 'http', detail: `HTTP ${status}${snippet(body)}` }
  }
  if (!isRecord(parsed) || typeof parsed.errorType !== 'string')
    return { kind: 'http', detail: `HTTP ${status}${snippet(body)}` }
  const errorType = parsed.errorType
  const message = typeof parsed.error === 'string' ? parsed.error : '(no message)'
  const kind = errorType === 'bad_data' ? 'bad_data' : errorType === 'execution' ? 'execution' : errorType === 'timeout' ? 'timeout' : 'http'
  return { kind, errorType, detail: `${errorType} (HTTP ${status}): ${message}` }
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim()
  if (flat === '') return ''
  return `: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat}`
}

function formatTime(time: Time): string {
  if (time instanceof Date) {
    const ms = time.getTime()
    if (Number.isNaN(ms)) throw new PrometheusError('invalid Date given as query time', { kind: 'config' })
    return (ms / 1000).toString()
  }
  if (!Number.isFinite(time)) throw new PrometheusError(`query time must be finite unix seconds, got ${time}`, { kind: 'config' })
  return time.toString()
}

/** Prometheus sends sample values as strings because JSON has no NaN or Inf. */
function parseSampleValue(text: unknown): number {
  if (typeof text !== 'string') throw new Error(`sample value is not a string: ${JSON.stringify(text)}`)
  switch (text) {
    case 'NaN':
      return Number.NaN
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY
    case '-Inf':
      return Number.NEGATIVE_INFINITY
  }
  // Number('') is 0 and Number(' 1') is 1: accept only what Go's float formatting produces.
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`sample value is not a number: ${JSON.stringify(text)}`)
  return Number(text)
}

function decodeData(data: unknown): QueryData {
  if (!isRecord(data)) throw new Error('"data" is missing or not an object')
  const { resultType, result } = data
  switch (resultType) {
    case 'vector':
      return { resultType, result: list(result, 'result').map((item, i) => decodeInstant(item, `result[${i}]`)) }
    case 'matrix':
      return { resultType, result: list(result, 'result').map((item, i) => decodeRange(item, `result[${i}]`)) }
    case 'scalar':
      return { resultType, result: decodePair(result, 'result') }
    case 'string': {
      if (!Array.isArray(result) || result.length !== 2 || typeof result[0] !== 'number' || typeof result[1] !== 'string')
        throw new Error('"result" of a string result is not [time, "text"]')
      return { resultType, result: { timestamp: result[0], value: result[1] } }
    }
    default:
      throw new Error(`unknown resultType ${JSON.stringify(resultType)}`)
  }
}

function decodeInstant(item: unknown, where: string): InstantSeries {
  if (!isRecord(item)) throw new Error(`${where} is not an object`)
  rejectNativeHistogram(item, where)
  return { metric: decodeLabels(item.metric, where), ...decodePair(item.value, `${where}.value`) }
}

function decodeRange(item: unknown, where: string): RangeSeries {
  if (!isRecord(item)) throw new Error(`${where} is not an object`)
  rejectNativeHistogram(item, where)
  return { metric: decodeLabels(item.metric, where), samples: list(item.values, `${where}.values`).map((pair, i) => decodePair(pair, `${where}.values[${i}]`)) }
}

/** Native histogram samples have no float value; failing loudly beats a silent NaN. */
function rejectNativeHistogram(item: Record<string, unknown>, where: string): void {
  if ('histogram' in item || 'histograms' in item)
    throw new Error(`${where} holds native histogram samples, which this client does not decode; wrap the query in histogram_quantile(), histogram_count() or histogram_sum()`)
}

function decodePair(pair: unknown, where: string): Sample {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number') throw new Error(`${where} is not [time, "value"]`)
  try {
    return { timestamp: pair[0], value: parseSampleValue(pair[1]) }
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`)
  }
}

function decodeLabels(metric: unknown, where: string): Labels {
  // Every series carries "metric"; for `vector(1)` it is an empty object.
  if (!isRecord(metric)) throw new Error(`${where}.metric is not an object`)
  const labels: Labels = {}
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') throw new Error(`${where}.metric.${name} is not a string`)
    labels[name] = value
  }
  return labels
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not an array`)
  return value
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
