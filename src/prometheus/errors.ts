/**
 * One error type for everything that can go wrong talking to Prometheus, Alertmanager or an
 * auth endpoint, so gates can map it to a verdict without parsing messages:
 * network/timeout/http (5xx) → inconclusive; bad_data/execution/config → a configuration error.
 */

export const PROMETHEUS_ERROR_KINDS = [
  /** Could not connect, connection reset, DNS, TLS handshake. */
  'network',
  /** Our per-request deadline passed (headers or body), or the server reported errorType "timeout". */
  'timeout',
  /** A non-2xx answer that is not one of the API's typed errors (proxies, auth gateways, 5xx, 401/403). */
  'http',
  /** The server refused the request as malformed: PromQL parse error, bad parameter, bad matcher. */
  'bad_data',
  /** The query parsed but failed while running, e.g. many-to-many matching (HTTP 422). */
  'execution',
  /** A 2xx answer we cannot use: not JSON, wrong shape, unsupported sample type. */
  'garbage',
  /** Credentials could not be read or obtained (missing env var or file, token endpoint refused). */
  'auth',
  /** The client itself was configured wrongly (conflicting auth methods, bad URL). */
  'config'
] as const
export type PrometheusErrorKind = (typeof PROMETHEUS_ERROR_KINDS)[number]

export interface PrometheusErrorDetails {
  kind: PrometheusErrorKind
  /** HTTP status, when the server answered. */
  status?: number
  /** The API's errorType field, when present (bad_data, execution, timeout, internal, …). */
  errorType?: string
  /** How many HTTP attempts were made before giving up. */
  attempts?: number
  /** Whether the client considered this failure worth retrying (it may have run out of attempts). */
  retryable?: boolean
}

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind
  readonly status: number | undefined
  readonly errorType: string | undefined
  readonly attempts: number
  readonly retryable: boolean

  /**
   * The message must already be free of secrets (callers build it through a Redactor). No raw
   * `cause` is attached on purpose: a low-level error object may carry request headers, and
   * util.inspect would print them.
   */
  constructor(message: string, details: PrometheusErrorDetails) {
    super(message)
    this.name = 'PrometheusError'
    this.kind = details.kind
    this.status = details.status
    this.errorType = details.errorType
    this.attempts = details.attempts ?? 0
    this.retryable = details.retryable ?? false
  }
}

export function isPrometheusError(error: unknown): error is PrometheusError {
  return error instanceof PrometheusError
}
