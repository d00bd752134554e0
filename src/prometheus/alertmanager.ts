/**
 * Alertmanager API v2 client for the alerts gate: `GET /api/v2/alerts` with matcher filters.
 * By default it asks only for alerts that would page someone right now (active, not silenced,
 * not inhibited). Shares auth, deadlines and retries with the Prometheus client.
 */
import { PrometheusError } from './errors.js'
import type { MatchOperator } from './promql.js'
import { HttpTransport, type FailureDescription, type TransportOptions } from './transport.js'

export interface AlertMatcher {
  name: string
  operator: MatchOperator
  /** For =~ and !~ a regular expression (RE2, fully anchored by Alertmanager); see escapeRegex. */
  value: string
}

export interface AlertsQuery {
  filter?: AlertMatcher[]
  /** Default true. */
  active?: boolean
  /** Default false: silenced alerts do not block a release. */
  silenced?: boolean
  /** Default false: inhibited alerts do not block a release. */
  inhibited?: boolean
  /** Default: the server's (true). */
  unprocessed?: boolean
  /** Regex on receiver names. */
  receiver?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface Alert {
  labels: Record<string, string>
  annotations: Record<string, string>
  fingerprint: string
  startsAt: string
  endsAt: string
  updatedAt: string
  generatorURL?: string
  receivers: string[]
  status: {
    state: 'unprocessed' | 'active' | 'suppressed'
    silencedBy: string[]
    inhibitedBy: string[]
    /** Absent before Alertmanager 0.28; [] then. */
    mutedBy: string[]
  }
}

export interface AlertsResponse {
  alerts: Alert[]
  attempts: number
}

export type AlertmanagerClientOptions = TransportOptions

/** Label names as Alertmanager's matcher parser accepts them. */
const LABEL_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

/**
 * One matcher in Alertmanager's filter syntax. The value is always quoted, and only the three
 * escapes every Alertmanager version understands are used (\\, \", \n); any other character,
 * a comma or brace included, is literal inside the quotes.
 */
export function formatAlertMatcher(matcher: AlertMatcher): string {
  if (!LABEL_NAME.test(matcher.name)) throw new PrometheusError(`alert matcher: "${matcher.name}" is not a valid label name`, { kind: 'config' })
  if (!['=', '!=', '=~', '!~'].includes(matcher.operator))
    throw new PrometheusError(`alert matcher: unknown operator "${matcher.operator}"; expected =, !=, =~ or !~`, { kind: 'config' })
  const quoted = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
  return `${matcher.name}${matcher.operator}"${quoted}"`
}

export class AlertmanagerClient {
  private readonly transport: HttpTransport

  constructor(options: AlertmanagerClientOptions) {
    this.transport = new HttpTransport('Alertmanager', options)
  }

  secrets(): Promise<string[]> {
    return this.transport.auth.collectSecrets()
  }

  async getAlerts(query: AlertsQuery = {}): Promise<AlertsResponse> {
    const params = new URLSearchParams({
      active: String(query.active ?? true),
      silenced: String(query.silenced ?? false),
      inhibited: String(query.inhibited ?? false)
    })
    if (query.unprocessed !== undefined) params.set('unprocessed', String(query.unprocessed))
    if (query.receiver !== undefined) params.set('receiver', query.receiver)
    for (const matcher of query.filter ?? []) params.append('filter', formatAlertMatcher(matcher))
    const response = await this.transport.send({
      method: 'GET',
      path: 'api/v2/alerts',
      query: params,
      ...(query.timeoutMs === undefined ? {} : { timeoutMs: query.timeoutMs }),
      ...(query.signal === undefined ? {} : { signal: query.signal }),
      describeFailure: describeAlertmanagerFailure
    })
    const body = this.transport.json(response)
    if (!Array.isArray(body)) throw this.transport.unusable(response, 'answer is not a JSON array of alerts')
    try {
      return { alerts: body.map((item, i) => decodeAlert(item, `[${i}]`)), attempts: response.attempts }
    } catch (error) {
      throw this.transport.unusable(response, (error as Error).message)
    }
  }

  close(): Promise<void> {
    return this.transport.close()
  }
}

/** Alertmanager answers errors with a JSON string body; 400 means our filter was refused. */
function describeAlertmanagerFailure(status: number, body: string): FailureDescription {
  let message = body.trim()
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === 'string') message = parsed
  } catch {
    // A proxy's plain-text or HTML page: shown as it is, shortened.
  }
  message = message.replace(/\s+/g, ' ')
  if (message.length > 200) message = `${message.slice(0, 200)}…`
  return { kind: status === 400 ? 'bad_data' : 'http', detail: `HTTP ${status}${message ? `: ${message}` : ''}` }
}

function decodeAlert(item: unknown, where: string): Alert {
  if (!isRecord(item)) throw new Error(`${where} is not an object`)
  const status = item.status
  if (!isRecord(status)) throw new Error(`${where}.status is not an object`)
  const state = status.state
  if (state !== 'unprocessed' && state !== 'active' && state !== 'suppressed') throw new Error(`${where}.status.state is ${JSON.stringify(state)}`)
  const alert: Alert = {
    labels: stringMap(item.labels, `${where}.labels`),
    annotations: item.annotations === undefined ? {} : stringMap(item.annotations, `${where}.annotations`),
    fingerprint: text(item.fingerprint, `${where}.fingerprint`),
    startsAt: text(item.startsAt, `${where}.startsAt`),
    endsAt: text(item.endsAt, `${where}.endsAt`),
    updatedAt: text(item.updatedAt, `${where}.updatedAt`),
    receivers: (Array.isArray(item.receivers) ? item.receivers : []).map((r, i) =>
      isRecord(r) ? text(r.name, `${where}.receivers[${i}].name`) : text(undefined, `${where}.receivers[${i}]`)
    ),
    status: {
      state,
      silencedBy: strings(status.silencedBy, `${where}.status.silencedBy`),
      inhibitedBy: strings(status.inhibitedBy, `${where}.status.inhibitedBy`),
      mutedBy: status.mutedBy === undefined ? [] : strings(status.mutedBy, `${where}.status.mutedBy`)
    }
  }
  if (typeof item.generatorURL === 'string' && item.generatorURL !== '') alert.generatorURL = item.generatorURL
  return alert
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value)) throw new Error(`${where} is not an object`)
  const out: Record<string, string> = {}
  for (const [key, v] of Object.entries(value)) out[key] = text(v, `${where}.${key}`)
  return out
}

function strings(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) throw new Error(`${where} is not an array`)
  return value.map((v, i) => text(v, `${where}[${i}]`))
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} is not a string`)
  return value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
