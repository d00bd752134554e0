/**
 * Authentication for Prometheus-compatible HTTP APIs: bearer, basic, custom headers, mTLS,
 * AWS SigV4 (Amazon Managed Prometheus) and OAuth2 client credentials.
 *
 * Secrets are named, never written, in the config: `{ env: NAME }` or `{ file: PATH }`. Files are
 * re-read on every request so a rotated token (e.g. a projected service-account token) is picked
 * up without a restart. Every secret value this module reads or obtains is registered with a
 * Redactor (for error messages) and reported once through `onSecret` (for `core.setSecret`).
 */
import { createHash, createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PrometheusError } from './errors.js'

export interface SecretRef {
  env?: string
  file?: string
}

/** Structurally the `auth` block of an endpoint in .release-gate.yml (src/config/schema.ts). */
export interface HttpAuthConfig {
  bearer?: SecretRef
  basic?: { username: string; password: SecretRef }
  /** Extra headers (X-Scope-OrgID, THANOS-TENANT, …); a SecretRef value is read like any secret. */
  headers?: Record<string, string | SecretRef>
  tls?: { ca?: string; cert?: string; key?: string; insecureSkipVerify?: boolean }
  sigv4?: { region: string; service?: string; roleArn?: string }
  oauth2?: { tokenUrl: string; clientId: string; clientSecret: SecretRef; scopes?: string[] }
}

export interface AuthContext {
  /** Where `{ env: NAME }` is looked up; default process.env. */
  env?: NodeJS.ProcessEnv
  /** Base for relative file paths; default process.cwd(). */
  cwd?: string
  /** Called once for every distinct secret value seen, e.g. `core.setSecret`. */
  onSecret?: (value: string) => void
  /** Clock in ms for token expiry; injectable so expiry can be tested without waiting. */
  now?: () => number
}

/** TLS settings in the shape of Node's tls.connect options (undici Agent `connect`). */
export interface TlsConnectOptions {
  ca?: string
  cert?: string
  key?: string
  rejectUnauthorized: boolean
}

export interface OutgoingRequest {
  method: 'GET' | 'POST'
  url: URL
  /** Lower-case names. Auth adds to these; the transport sends them as they are afterwards. */
  headers: Record<string, string>
  body?: string
}

/** Sends the OAuth2 token request; provided by the transport so proxy settings and deadlines apply. */
export type TokenFetch = (url: URL, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>

const REDACTED = '***'

/** Replaces every known secret value (and its URL-encoded form) in a text. */
export class Redactor {
  private readonly secrets = new Set<string>()

  constructor(private readonly onSecret?: (value: string) => void) {}

  add(value: string): void {
    if (value === '' || this.secrets.has(value)) return
    this.secrets.add(value)
    this.onSecret?.(value)
  }

  values(): string[] {
    return [...this.secrets]
  }

  redact(text: string): string {
    // Longest first, so a secret that contains another is replaced whole.
    const ordered = [...this.secrets].sort((a, b) => b.length - a.length)
    let out = text
    for (const secret of ordered) {
      out = out.split(secret).join(REDACTED)
      const encoded = encodeURIComponent(secret)
      if (encoded !== secret) out = out.split(encoded).join(REDACTED)
    }
    return out
  }
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** Headers the transport owns; letting config set them would break framing or signing. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'content-type'])

function configError(message: string): PrometheusError {
  return new PrometheusError(`auth config: ${message}`, { kind: 'config' })
}

function describeRef(ref: SecretRef): string {
  return ref.env !== undefined ? `environment variable ${ref.env}` : `file ${ref.file ?? '?'}`
}

function validateRef(ref: SecretRef, what: string): void {
  if ((ref.env === undefined) === (ref.file === undefined)) throw configError(`${what}: give exactly one of env or file`)
}

/** Checked before fetch sees a value: fetch would throw on these with the value in its message. */
const INVALID_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/

export class RequestAuth {
  readonly redactor: Redactor
  private readonly env: NodeJS.ProcessEnv
  private readonly cwd: string
  private readonly now: () => number
  private readonly oauth2: OAuth2TokenSource | undefined
  private readonly sigv4: SigV4Signer | undefined

  constructor(
    private readonly config: HttpAuthConfig = {},
    context: AuthContext = {}
  ) {
    this.env = context.env ?? process.env
    this.cwd = context.cwd ?? process.cwd()
    this.now = context.now ?? Date.now
    this.redactor = new Redactor(context.onSecret)
    validateConfig(config)
    this.oauth2 = config.oauth2 === undefined ? undefined : new OAuth2TokenSource(config.oauth2, this)
    this.sigv4 = config.sigv4 === undefined ? undefined : new SigV4Signer(config.sigv4, this.redactor)
  }

  /** Reads one secret now: env var or file (trailing line ending dropped), registered for masking. */
  async readSecret(ref: SecretRef, what: string): Promise<string> {
    let value: string | undefined
    if (ref.env !== undefined) {
      value = this.env[ref.env]
      if (value === undefined || value === '') throw new PrometheusError(`${what}: environment variable ${ref.env} is not set or empty`, { kind: 'auth' })
    } else {
      const file = path.resolve(this.cwd, ref.file ?? '')
      try {
        value = await readFile(file, 'utf8')
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'read error'
        throw new PrometheusError(`${what}: cannot read file ${ref.file ?? ''} (${code})`, { kind: 'auth' })
      }
      value = value.replace(/\r?\n$/, '')
      if (value === '') throw new PrometheusError(`${what}: file ${ref.file ?? ''} is empty`, { kind: 'auth' })
    }
    if (INVALID_HEADER_VALUE.test(value))
      throw new PrometheusError(`${what}: the value from ${describeRef(ref)} contains a line break or control character`, { kind: 'auth' })
    this.redactor.add(value)
    return value
  }

  /**
   * Reads every secret the config names and returns all secret values known so far (including
   * OAuth2 tokens and AWS keys obtained earlier), so the caller can mask them before any request.
   */
  async collectSecrets(): Promise<string[]> {
    const { bearer, basic, headers, oauth2 } = this.config
    if (bearer) await this.readSecret(bearer, 'bearer token')
    if (basic) await this.basicCredential()
    if (oauth2) await this.readSecret(oauth2.clientSecret, 'oauth2 client secret')
    for (const [name, value] of Object.entries(headers ?? {}))
      if (typeof value !== 'string') await this.readSecret(value, `header ${name}`)
    // Resolving AWS credentials now also fails early, before the first query, when there are none.
    if (this.sigv4) await this.sigv4.resolveCredentials()
    return this.redactor.values()
  }

  /** TLS options for the connection to the server; undefined when the config sets none. */
  async tlsConnectOptions(): Promise<TlsConnectOptions | undefined> {
    const tls = this.config.tls
    if (tls === undefined) return undefined
    const read = async (file: string | undefined, what: string): Promise<string | undefined> => {
      if (file === undefined) return undefined
      try {
        return await readFile(path.resolve(this.cwd, file), 'utf8')
      } catch (error) {
        throw new PrometheusError(`tls ${what}: cannot read file ${file} (${(error as NodeJS.ErrnoException).code ?? 'read error'})`, { kind: 'config' })
      }
    }
    const [ca, cert, key] = await Promise.all([read(tls.ca, 'ca'), read(tls.cert, 'cert'), read(tls.key, 'key')])
    const options: TlsConnectOptions = { rejectUnauthorized: !(tls.insecureSkipVerify ?? false) }
    if (ca !== undefined) options.ca = ca
    if (cert !== undefined) options.cert = cert
    if (key !== undefined) options.key = key
    return options
  }

  /** Adds auth headers to one attempt. Called again for every retry (fresh signature, fresh file read). */
  async authorize(request: OutgoingRequest, fetchToken: TokenFetch, signal: AbortSignal): Promise<void> {
    const { bearer, basic, headers } = this.config
    for (const [name, value] of Object.entries(headers ?? {}))
      request.headers[name.toLowerCase()] = typeof value === 'string' ? value : await this.readSecret(value, `header ${name}`)
    if (bearer) request.headers.authorization = `Bearer ${await this.readSecret(bearer, 'bearer token')}`
    if (basic) request.headers.authorization = `Basic ${await this.basicCredential()}`
    if (this.oauth2) request.headers.authorization = `Bearer ${await this.oauth2.token(fetchToken, signal)}`
    // Last: the signature covers every header set above.
    if (this.sigv4) await this.sigv4.sign(request)
  }

  /**
   * After a 401: drop a cached OAuth2 token so the next attempt fetches a new one. Returns whether
   * retrying can help (only a refreshable credential can change between attempts).
   */
  invalidateAfterUnauthorized(): boolean {
    if (!this.oauth2) return false
    this.oauth2.invalidate()
    return true
  }

  currentTime(): number {
    return this.now()
  }

  private async basicCredential(): Promise<string> {
    const basic = this.config.basic
    if (!basic) throw configError('basic auth is not configured')
    const password = await this.readSecret(basic.password, 'basic auth password')
    const credential = Buffer.from(`${basic.username}:${password}`, 'utf8').toString('base64')
    // A server that echoes the Authorization header would otherwise leak the password as base64.
    this.redactor.add(credential)
    return credential
  }
}

function validateConfig(config: HttpAuthConfig): void {
  const authorizationSources = [
    config.bearer && 'bearer',
    config.basic && 'basic',
    config.oauth2 && 'oauth2',
    config.sigv4 && 'sigv4',
    Object.keys(config.headers ?? {}).some((h) => h.toLowerCase() === 'authorization') && 'headers.Authorization'
  ].filter((x): x is string => typeof x === 'string')
  if (authorizationSources.length > 1)
    throw configError(`${authorizationSources.join(' and ')} all set the Authorization header; choose one`)
  if (config.bearer) validateRef(config.bearer, 'bearer')
  if (config.basic) {
    validateRef(config.basic.password, 'basic.password')
    if (config.basic.username.includes(':')) throw configError('basic.username must not contain ":" (RFC 7617)')
    if (INVALID_HEADER_VALUE.test(config.basic.username)) throw configError('basic.username contains a control character')
  }
  if (config.oauth2) {
    validateRef(config.oauth2.clientSecret, 'oauth2.clientSecret')
    let tokenUrl: URL
    try {
      tokenUrl = new URL(config.oauth2.tokenUrl)
    } catch {
      throw configError(`oauth2.tokenUrl is not a URL: "${config.oauth2.tokenUrl}"`)
    }
    if (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:') throw configError('oauth2.tokenUrl must be http(s)')
  }
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw configError(`headers: "${name}" is not a valid header name`)
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw configError(`headers: "${name}" is set by the client and cannot be overridden`)
    if (typeof value === 'string') {
      if (INVALID_HEADER_VALUE.test(value)) throw configError(`headers: the value of "${name}" contains a line break or control character`)
    } else validateRef(value, `headers.${name}`)
  }
  const tls = config.tls
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) throw configError('tls: cert and key must be given together')
}

interface CachedToken {
  value: string
  /** ms since epoch after which the token is refetched; undefined = until a 401. */
  refreshAt: number | undefined
}

/** Refresh this long before the server-stated expiry, so a token never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000

/** OAuth2 client-credentials grant (RFC 6749 §4.4) with caching and single-flight refresh. */
class OAuth2TokenSource {
  private cached: CachedToken | undefined
  private inflight: Promise<string> | undefined
  /** Learned on first success; like Go's oauth2 AuthStyleAutoDetect: try Basic, then the form body. */
  private style: 'header' | 'body' | undefined

  constructor(
    private readonly config: NonNullable<HttpAuthConfig['oauth2']>,
    private readonly auth: RequestAuth
  ) {}

  invalidate(): void {
    this.cached = undefined
  }

  async token(fetchToken: TokenFetch, signal: AbortSignal): Promise<string> {
    const cached = this.cached
    if (cached && (cached.refreshAt === undefined || this.auth.currentTime() < cached.refreshAt)) return cached.value
    this.inflight ??= this.fetchNew(fetchToken, signal).finally(() => {
      this.inflight = undefined
    })
    return this.inflight
  }

  private async fetchNew(fetchToken: TokenFetch, signal: AbortSignal): Promise<string> {
    const secret = await this.auth.readSecret(this.config.clientSecret, 'oauth2 client secret')
    const styles: Array<'header' | 'body'> = this.style ? [this.style] : ['header', 'body']
    let lastRefusal: PrometheusError | undefined
    for (const style of styles) {
      const response = await this.request(style, secret, fetchToken, signal)
      if (response.ok) {
        this.style = style
        return this.accept(await response.text())
      }
      const body = await response.text().catch(() => '')
      const refusal = this.refusal(response.status, body)
      // Only a 400/401 can mean "wrong client authentication style"; anything else is final.
      if (response.status !== 400 && response.status !== 401) throw refusal
      lastRefusal = refusal
    }
    throw lastRefusal ?? new PrometheusError('oauth2: token request failed', { kind: 'auth' })
  }

  private request(style: 'header' | 'body', secret: string, fetchToken: TokenFetch, signal: AbortSignal): Promise<Response> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' })
    const scopes = this.config.scopes ?? []
    if (scopes.length > 0) form.set('scope', scopes.join(' '))
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
    if (style === 'header') {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64.
      const credential = Buffer.from(`${formEncode(this.config.clientId)}:${formEncode(secret)}`).toString('base64')
      this.auth.redactor.add(credential)
      headers.authorization = `Basic ${credential}`
    } else {
      form.set('client_id', this.config.clientId)
      form.set('client_secret', secret)
    }
    return fetchToken(new URL(this.config.tokenUrl), { headers, body: form.toString(), signal })
  }

  private refusal(status: number, body: string): PrometheusError {
    let detail = `HTTP ${status}`
    try {
      const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown }
      if (typeof parsed.error === 'string') detail += `: ${parsed.error}`
      if (typeof parsed.error_description === 'string') detail += ` (${parsed.error_description})`
    } catch {
      // Not JSON: the status alone says enough, and an HTML error page would only add noise.
    }
    const retryable = status >= 500 || status === 429
    return new PrometheusError(this.auth.redactor.redact(`oauth2: token endpoint ${this.endpointForMessages()} answered ${detail}`), {
      kind: retryable ? 'http' : 'auth',
      status,
      retryable
    })
  }

  private accept(body: string): string {
    let parsed: { access_token?: unknown; token_type?: unknown; expires_in?: unknown }
    try {
      parsed = JSON.parse(body) as typeof parsed
    } catch {
      throw new PrometheusError(`oauth2: token endpoint ${this.endpointForMessages()} did not answer JSON`, { kind: 'auth' })
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '' || INVALID_HEADER_VALUE.test(parsed.access_token))
      throw new PrometheusError(`oauth2: token endpoint ${this.endpointForMessages()} answered without a usable access_token`, { kind: 'auth' })
    if (parsed.token_type !== undefined && String(parsed.token_type).toLowerCase() !== 'bearer')
      throw new PrometheusError(`oauth2: token_type "${String(parsed.token_type)}" is not supported; expected Bearer`, { kind: 'auth' })
    this.auth.redactor.add(parsed.access_token)
    const expiresIn = Number(parsed.expires_in)
    const refreshAt =
      parsed.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0
        ? this.auth.currentTime() + Math.max(0, expiresIn * 1000 - Math.min(EXPIRY_MARGIN_MS, expiresIn * 500))
        : undefined
    this.cached = { value: parsed.access_token, refreshAt }
    return parsed.access_token
  }

  private endpointForMessages(): string {
    const url = new URL(this.config.tokenUrl)
    return `${url.origin}${url.pathname}`
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2)
}

/** The subset of @smithy/types' Checksum that SignatureV4 calls, on node:crypto. */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh()
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk)
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }

  reset(): void {
    this.hash = this.fresh()
  }

  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    if (this.secret === undefined) return createHash('sha256')
    const key =
      typeof this.secret === 'string'
        ? Buffer.from(this.secret, 'utf8')
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret)
    return createHmac('sha256', key)
  }
}

interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * AWS Signature Version 4 with @smithy/signature-v4 and the AWS default credential chain
 * (@aws-sdk/credential-providers). Both are imported on first use: loading the AWS SDK costs
 * time that every run without sigv4 should not pay.
 */
class SigV4Signer {
  private signer: Promise<{ sign(request: unknown): Promise<unknown> }> | undefined
  private credentials: (() => Promise<AwsCredentials>) | undefined

  constructor(
    private readonly config: NonNullable<HttpAuthConfig['sigv4']>,
    private readonly redactor: Redactor
  ) {}

  async resolveCredentials(): Promise<void> {
    await this.getSigner()
    await this.credentials?.()
  }

  async sign(request: OutgoingRequest): Promise<void> {
    const signer = await this.getSigner()
    const url = request.url
    const query: Record<string, string | string[]> = {}
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key)
      query[key] = values.length === 1 ? (values[0] ?? '') : values
    }
    let signed: { headers: Record<string, string> }
    try {
      signed = (await signer.sign({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query,
        // fetch sends Host from the URL; sign the same value, then leave it out of the sent headers.
        headers: { ...request.headers, host: url.host },
        body: request.body ?? ''
      })) as { headers: Record<string, string> }
    } catch (error) {
      if (error instanceof PrometheusError) throw error
      throw new PrometheusError(this.redactor.redact(`sigv4: signing failed: ${(error as Error).message}`), { kind: 'auth' })
    }
    for (const [name, value] of Object.entries(signed.headers)) if (name.toLowerCase() !== 'host') request.headers[name.toLowerCase()] = value
  }

  private getSigner(): Promise<{ sign(request: unknown): Promise<unknown> }> {
    this.signer ??= this.createSigner()
    return this.signer
  }

  private async createSigner(): Promise<{ sign(request: unknown): Promise<unknown> }> {
    const [{ SignatureV4 }, providers] = await Promise.all([import('@smithy/signature-v4'), import('@aws-sdk/credential-providers')])
    const { region, roleArn } = this.config
    const chain = providers.fromNodeProviderChain()
    const source = roleArn
      ? providers.fromTemporaryCredentials({
          masterCredentials: chain,
          params: { RoleArn: roleArn, RoleSessionName: 'release-gate' },
          clientConfig: { region }
        })
      : chain
    const credentials = async (): Promise<AwsCredentials> => {
      let resolved: AwsCredentials
      try {
        resolved = await source()
      } catch (error) {
        throw new PrometheusError(this.redactor.redact(`sigv4: could not load AWS credentials: ${(error as Error).message}`), { kind: 'auth' })
      }
      this.redactor.add(resolved.secretAccessKey)
      if (resolved.sessionToken) this.redactor.add(resolved.sessionToken)
      return resolved
    }
    this.credentials = credentials
    return new SignatureV4({ service: this.config.service ?? 'aps', region, credentials, sha256: NodeSha256 })
  }
}
