/**
 * The HTTP machinery shared by the Prometheus and Alertmanager clients: proxy-aware dispatchers,
 * auth per attempt, a deadline per attempt that covers the body too, and retries with
 * exponential backoff and jitter for failures that a second try can fix.
 */
import { HttpClient } from '@actions/http-client'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { Agent, ProxyAgent, type Dispatcher } from 'undici'
import { RequestAuth, type AuthContext, type HttpAuthConfig, type OutgoingRequest, type TlsConnectOptions, type TokenFetch } from './auth.js'
import { PrometheusError, type PrometheusErrorKind } from './errors.js'

export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  retries: number
  /** Backoff before retry n is drawn from [d/2, d] with d = min(maxDelayMs, initialDelayMs·2^(n−1)). */
  initialDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, initialDelayMs: 250, maxDelayMs: 4_000 }
export const DEFAULT_TIMEOUT_MS = 10_000

export interface TransportOptions {
  /** Base URL; a path prefix is kept (Mimir serves the API under /prometheus). */
  url: string
  auth?: HttpAuthConfig
  authContext?: AuthContext
  /** Deadline for one attempt, from sending the request to the last byte of the body. */
  timeoutMs?: number
  retry?: Partial<RetryOptions>
  userAgent?: string
}

/** How a caller turns a non-2xx answer into a typed failure; the transport decides on retries. */
export interface FailureDescription {
  kind: PrometheusErrorKind
  errorType?: string
  detail: string
}

export interface SendRequest {
  method: 'GET' | 'POST'
  /** Path relative to the base URL's path, e.g. "api/v1/query". */
  path: string
  query?: URLSearchParams
  form?: URLSearchParams
  timeoutMs?: number
  signal?: AbortSignal
  describeFailure: (status: number, body: string) => FailureDescription
}

export interface TransportResponse {
  status: number
  body: string
  attempts: number
  /** Where the request went, for messages: origin and path, never credentials or query. */
  endpoint: string
}

export class HttpTransport {
  readonly auth: RequestAuth
  private readonly baseUrl: URL
  /** Deadline of one attempt unless a request sets its own. */
  readonly timeoutMs: number
  private readonly retry: RetryOptions
  private readonly userAgent: string
  private readonly dispatchers = new Map<string, Promise<Dispatcher>>()

  constructor(
    private readonly service: string,
    options: TransportOptions
  ) {
    let base: URL
    try {
      base = new URL(options.url)
    } catch {
      throw new PrometheusError(`${service} URL is not a valid URL`, { kind: 'config' })
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new PrometheusError(`${service} URL must start with http:// or https://, got ${base.protocol}`, { kind: 'config' })
    // fetch refuses URLs with credentials, and they would end up in logs; auth.basic is the place.
    if (base.username !== '' || base.password !== '')
      throw new PrometheusError(`${service} URL must not contain credentials; use auth.basic with a secret reference`, { kind: 'config' })
    if (!base.pathname.endsWith('/')) base.pathname += '/'
    base.search = ''
    base.hash = ''
    this.baseUrl = base
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.userAgent = options.userAgent ?? 'release-gate'
    this.auth = new RequestAuth(options.auth, options.authContext)
  }

  /** Closes pooled connections; the transport must not be used afterwards. */
  async close(): Promise<void> {
    const dispatchers = await Promise.allSettled(this.dispatchers.values())
    this.dispatchers.clear()
    await Promise.all(dispatchers.map((d) => (d.status === 'fulfilled' ? d.value.close() : undefined)))
  }

  async send(request: SendRequest): Promise<TransportResponse> {
    const url = new URL(request.path, this.baseUrl)
    if (request.query) url.search = request.query.toString()
    const endpoint = `${request.method} ${url.origin}${url.pathname}`
    const timeoutMs = request.timeoutMs ?? this.timeoutMs
    let unauthorizedRetried = false

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, request, timeoutMs)
      if (outcome.ok) return { status: outcome.status, body: outcome.body, attempts: attempt, endpoint }

      const failure = outcome.failure
      let retryable = failure.retryable
      // A 401 with a refreshable token (OAuth2) may mean it was revoked early: fetch a new one once.
      if (failure.status === 401 && !unauthorizedRetried && this.auth.invalidateAfterUnauthorized()) {
        unauthorizedRetried = true
        retryable = true
      }
      const attemptsLeft = attempt <= this.retry.retries
      if (!retryable || !attemptsLeft || request.signal?.aborted) {
        const suffix = attempt > 1 ? ` (after ${attempt} attempts)` : ''
        throw new PrometheusError(this.auth.redactor.redact(`${this.service} ${endpoint}: ${failure.message}${suffix}`), {
          kind: failure.kind,
          ...(failure.status === undefined ? {} : { status: failure.status }),
          ...(failure.errorType === undefined ? {} : { errorType: failure.errorType }),
          attempts: attempt,
          retryable
        })
      }
      await sleep(this.backoffMs(attempt, outcome.retryAfterMs), request.signal)
    }
  }

  /** The body of a 2xx answer as JSON; a body that is not JSON is an unusable answer. */
  json(response: TransportResponse): unknown {
    try {
      return JSON.parse(response.body)
    } catch {
      throw this.unusable(response, `answer is not JSON (starts with ${JSON.stringify(this.auth.redactor.redact(response.body).slice(0, 60))})`)
    }
  }

  /** A 2xx answer the caller cannot use (wrong shape, unknown sample type). */
  unusable(response: TransportResponse, detail: string): PrometheusError {
    return new PrometheusError(this.auth.redactor.redact(`${this.service} ${response.endpoint}: ${detail}`), { kind: 'garbage', status: response.status, attempts: response.attempts })
  }

  private backoffMs(attempt: number, retryAfterMs: number | undefined): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (attempt - 1))
    // Jitter spreads the retries of many runs hitting one overloaded server.
    const jittered = ceiling / 2 + Math.random() * (ceiling / 2)
    return Math.min(this.retry.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0))
  }

  private async attempt(url: URL, request: SendRequest, timeoutMs: number): Promise<AttemptOutcome> {
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), timeoutMs)
    const signal = request.signal ? AbortSignal.any([deadline.signal, request.signal]) : deadline.signal
    try {
      const outgoing: OutgoingRequest = {
        method: request.method,
        url,
        headers: { accept: 'application/json', 'user-agent': this.userAgent },
        ...(request.form ? { body: request.form.toString() } : {})
      }
      if (request.form) outgoing.headers['content-type'] = 'application/x-www-form-urlencoded'
      await this.auth.authorize(outgoing, this.tokenFetch, signal)
      const response = await fetch(url, {
        method: request.method,
        headers: outgoing.headers,
        ...(outgoing.body === undefined ? {} : { body: outgoing.body }),
        // A redirect would turn the POST into a GET and could carry credentials elsewhere.
        redirect: 'manual',
        signal,
        dispatcher: (await this.dispatcherFor(url, true)) as RequestInit['dispatcher']
      })
      // The deadline stays armed while the body streams in: a server may stall mid-body.
      const body = await response.text()
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, body }
      return { ok: false, failure: this.httpFailure(response, body, request), retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) }
    } catch (error) {
      return { ok: false, failure: this.thrownFailure(error, deadline.signal, timeoutMs, request.signal) }
    } finally {
      clearTimeout(timer)
    }
  }

  private httpFailure(response: Response, body: string, request: SendRequest): Failure {
    const status = response.status
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location')
      return {
        kind: 'http',
        status,
        retryable: false,
        message: `HTTP ${status} redirect${location ? ` to ${stripQuery(location)}` : ''}; configure the final URL instead`
      }
    }
    // Redact before the describer shortens the body: a cut-off secret would no longer match.
    const described = request.describeFailure(status, this.auth.redactor.redact(body))
    return {
      kind: described.kind,
      status,
      ...(described.errorType === undefined ? {} : { errorType: described.errorType }),
      // 429 and 5xx are the server (or a gateway) saying "not now"; 4xx will not change on retry.
      retryable: status === 429 || status >= 500,
      message: described.detail
    }
  }

  private thrownFailure(error: unknown, deadline: AbortSignal, timeoutMs: number, callerSignal: AbortSignal | undefined): Failure {
    if (error instanceof PrometheusError)
      return {
        kind: error.kind,
        ...(error.status === undefined ? {} : { status: error.status }),
        retryable: error.retryable || error.kind === 'network',
        // Errors from auth carry their own context; drop the service prefix they would repeat.
        message: error.message
      }
    if (deadline.aborted)
      // Not retried: the query already used its whole time budget once; a retry would double the
      // wall-clock time a gate waits on a server that is this slow.
      return { kind: 'timeout', retryable: false, message: `no complete answer within ${timeoutMs} ms` }
    if (callerSignal?.aborted) return { kind: 'timeout', retryable: false, message: 'aborted by the caller' }
    return { kind: 'network', retryable: true, message: `network error: ${describeNetworkError(error)}` }
  }

  /** The OAuth2 token request goes through the same proxy logic, with default TLS trust. */
  private readonly tokenFetch: TokenFetch = async (url, init) =>
    fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: init.signal,
      dispatcher: (await this.dispatcherFor(url, false)) as RequestInit['dispatcher']
    }).catch((error: unknown) => {
      if (init.signal.aborted) throw error
      throw new PrometheusError(this.auth.redactor.redact(`oauth2: token request to ${url.origin}${url.pathname} failed: ${describeNetworkError(error)}`), {
        kind: 'network',
        retryable: true
      })
    })

  private dispatcherFor(url: URL, withServerTls: boolean): Promise<Dispatcher> {
    const key = `${withServerTls ? 'server' : 'plain'} ${url.origin}`
    let dispatcher = this.dispatchers.get(key)
    if (!dispatcher) {
      dispatcher = this.createDispatcher(url, withServerTls)
      // A failed creation (unreadable CA file) must not be cached: the file may appear later.
      dispatcher.catch(() => this.dispatchers.delete(key))
      this.dispatchers.set(key, dispatcher)
    }
    return dispatcher
  }

  /**
   * Native fetch ignores HTTP(S)_PROXY/NO_PROXY. Routing follows @actions/http-client, exactly as
   * the GitHub toolkit does: its getAgentDispatcher when no TLS options are needed; with TLS
   * options, its getProxyUrl decides and we build the ProxyAgent ourselves, because the one
   * getAgentDispatcher returns cannot carry a CA or client certificate for the target.
   */
  private async createDispatcher(url: URL, withServerTls: boolean): Promise<Dispatcher> {
    const tls = withServerTls ? await this.auth.tlsConnectOptions() : undefined
    if (!tls) {
      const proxied = new HttpClient(this.userAgent, undefined, { keepAlive: true }).getAgentDispatcher(url.href)
      if (proxied) {
        this.registerProxySecret(url)
        return proxied as unknown as Dispatcher
      }
      return new Agent()
    }
    const proxyUrl = getProxyUrl(url)
    if (proxyUrl?.hostname) {
      this.registerProxySecret(url)
      return new ProxyAgent({ uri: proxyUrl.href, requestTls: tls, ...proxyToken(proxyUrl) })
    }
    return new Agent({ connect: tls satisfies TlsConnectOptions })
  }

  private registerProxySecret(url: URL): void {
    const proxyUrl = getProxyUrl(url)
    if (proxyUrl?.password) this.auth.redactor.add(proxyUrl.password)
  }
}

interface Failure {
  kind: PrometheusErrorKind
  status?: number
  errorType?: string
  retryable: boolean
  message: string
}

type AttemptOutcome = { ok: true; status: number; body: string } | { ok: false; failure: Failure; retryAfterMs?: number | undefined }

function proxyToken(proxyUrl: URL): { token?: string } {
  if (!proxyUrl.username && !proxyUrl.password) return {}
  return { token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}` }
}

function stripQuery(location: string): string {
  const cut = location.search(/[?#]/)
  return cut === -1 ? location : location.slice(0, cut)
}

/** fetch reports "fetch failed" and hides the reason in `cause` (sometimes an AggregateError). */
function describeNetworkError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code
    const message = current.message && current.message !== 'fetch failed' ? current.message : ''
    if (message) parts.push(code && !message.includes(code) ? `${message} (${code})` : message)
    else if (code) parts.push(code)
    const nested: unknown = current instanceof AggregateError ? current.errors[0] : current.cause
    current = nested
  }
  return parts.join(': ') || String(error)
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
