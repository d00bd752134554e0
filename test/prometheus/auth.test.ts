import { createHash, createHmac } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertmanagerClient } from '../../src/prometheus/alertmanager.js'
import { RequestAuth, type HttpAuthConfig } from '../../src/prometheus/auth.js'
import { PrometheusClient, type PrometheusClientOptions } from '../../src/prometheus/client.js'
import { PrometheusError } from '../../src/prometheus/errors.js'
import type { EndpointConfig } from '../../src/config/schema.js'
import { FaultServer, startConnectProxy, type RecordedRequest } from '../infra/prometheus/fault-server.js'
import { createTestPki, PROMETHEUS_BINARIES, requireBinaries, TEST_TLS_HOSTNAME, type ServerProcess, type TestPki } from '../infra/prometheus/harness.js'
import { AFTER_SHIFT, ERROR_RATIO_QUERY, EXPECTED } from './fixture.js'
import { FAST_RETRY, rejectionOf, startFixturePrometheus } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'Prometheus auth tests')

// One fixture server for every suite in this file: each start costs a backfill and a launch.
let prometheus: ServerProcess
beforeAll(async () => {
  if (haveBinaries) prometheus = await startFixturePrometheus()
})
afterAll(async () => {
  await prometheus?.stop()
})

// Compile-time check that the config schema's auth block is accepted as it is.
const configAuthFitsClient: (auth: NonNullable<EndpointConfig['auth']>) => HttpAuthConfig = (auth) => auth
void configAuthFitsClient

/** What a canary error-ratio query must return when the request made it through to Prometheus. */
async function expectRealAnswer(client: PrometheusClient): Promise<void> {
  const { data } = await client.query(ERROR_RATIO_QUERY, { time: AFTER_SHIFT })
  if (data.resultType !== 'vector') throw new Error('expected a vector')
  expect(data.result.find((s) => s.metric.track === 'canary')?.value).toBe(EXPECTED.errorRatio.canaryAfter)
}

describe('auth config validation (no server needed)', () => {
  it.each<[string, HttpAuthConfig, RegExp]>([
    ['two Authorization sources', { bearer: { env: 'A' }, basic: { username: 'u', password: { env: 'B' } } }, /bearer and basic all set the Authorization header/],
    ['an Authorization header next to oauth2', { headers: { Authorization: 'x' }, oauth2: { tokenUrl: 'https://idp/token', clientId: 'c', clientSecret: { env: 'S' } } }, /oauth2 and headers\.Authorization/],
    ['a secret with both env and file', { bearer: { env: 'A', file: 'b' } }, /bearer: give exactly one of env or file/],
    ['a colon in the basic username', { basic: { username: 'a:b', password: { env: 'P' } } }, /must not contain ":"/],
    ['a reserved header', { headers: { Host: 'evil' } }, /"Host" is set by the client/],
    ['a header value with a line break', { headers: { 'X-Scope-OrgID': 'a\r\nX-Injected: 1' } }, /contains a line break/],
    ['a client cert without its key', { tls: { cert: 'c.pem' } }, /cert and key must be given together/]
  ])('rejects %s', (_name, config, message) => {
    let error: unknown
    try {
      new RequestAuth(config)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PrometheusError)
    expect(error).toMatchObject({ kind: 'config' })
    expect((error as Error).message).toMatch(message)
  })

  it('rejects credentials in the URL without echoing them', () => {
    let error: unknown
    try {
      new PrometheusClient({ url: 'https://admin:hunter2@prometheus.example' })
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ kind: 'config' })
    expect((error as Error).message).not.toContain('hunter2')
  })
})

describe.skipIf(!haveBinaries)('auth headers reach the server and never appear in errors', () => {
  let recorder: FaultServer
  let scratch: string

  beforeAll(async () => {
    recorder = await FaultServer.start({ target: prometheus.url })
    scratch = await mkdtemp(path.join(os.tmpdir(), 'rg-auth-'))
  })
  afterAll(async () => {
    await recorder?.close()
    if (scratch) await rm(scratch, { recursive: true, force: true })
  })

  async function withClient(options: Omit<PrometheusClientOptions, 'url'>, fn: (client: PrometheusClient) => Promise<void>): Promise<void> {
    recorder.reset()
    const client = new PrometheusClient({ url: recorder.url, retry: FAST_RETRY, ...options })
    try {
      await fn(client)
    } finally {
      await client.close()
    }
  }

  it('sends a bearer token from an environment variable and lists it for masking', async () => {
    const masked: string[] = []
    await withClient(
      { auth: { bearer: { env: 'PROM_TOKEN' } }, authContext: { env: { PROM_TOKEN: 'bearer-s3cret-1' }, onSecret: (s) => masked.push(s) } },
      async (client) => {
        expect(await client.secrets()).toEqual(['bearer-s3cret-1'])
        await expectRealAnswer(client)
        expect(recorder.requests[0]?.headers.authorization).toBe('Bearer bearer-s3cret-1')
        expect(masked).toEqual(['bearer-s3cret-1'])
      }
    )
  })

  it('re-reads a token file on every request, so a rotated token is used at once', async () => {
    const tokenFile = path.join(scratch, 'token')
    await writeFile(tokenFile, 'rotating-token-1\n')
    await withClient({ auth: { bearer: { file: 'token' } }, authContext: { cwd: scratch } }, async (client) => {
      await client.query('vector(1)')
      await writeFile(tokenFile, 'rotating-token-2\n')
      await client.query('vector(1)')
      expect(recorder.requests.map((r) => r.headers.authorization)).toEqual(['Bearer rotating-token-1', 'Bearer rotating-token-2'])
    })
  })

  it('sends basic auth with the password from a file', async () => {
    await writeFile(path.join(scratch, 'password'), 'p@ss:w0rd\n')
    await withClient({ auth: { basic: { username: 'grafana-cloud-1234', password: { file: path.join(scratch, 'password') } } } }, async (client) => {
      await expectRealAnswer(client)
      const credential = Buffer.from('grafana-cloud-1234:p@ss:w0rd').toString('base64')
      expect(recorder.requests[0]?.headers.authorization).toBe(`Basic ${credential}`)
      expect((await client.secrets()).sort()).toEqual([credential, 'p@ss:w0rd'].sort())
    })
  })

  it('sends tenant headers, plain and from secrets', async () => {
    await withClient(
      { auth: { headers: { 'X-Scope-OrgID': 'team-a|team-b', 'THANOS-TENANT': { env: 'TENANT' } } }, authContext: { env: { TENANT: 'tenant-secret-7' } } },
      async (client) => {
        await expectRealAnswer(client)
        expect(recorder.requests[0]?.headers['x-scope-orgid']).toBe('team-a|team-b')
        expect(recorder.requests[0]?.headers['thanos-tenant']).toBe('tenant-secret-7')
        expect(await client.secrets()).toEqual(['tenant-secret-7'])
      }
    )
  })

  it('redacts secrets that a failing server echoes back', async () => {
    await writeFile(path.join(scratch, 'echo-password'), 'echoed-password-9')
    const cases: Array<Omit<PrometheusClientOptions, 'url'>> = [
      { auth: { bearer: { env: 'T' } }, authContext: { env: { T: 'echoed-bearer-9' } } },
      { auth: { basic: { username: 'u', password: { file: path.join(scratch, 'echo-password') } } } },
      { auth: { headers: { 'X-Scope-OrgID': { env: 'T' } } }, authContext: { env: { T: 'echoed-tenant-9' } } }
    ]
    for (const options of cases)
      await withClient({ ...options, retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 2 } }, async (client) => {
        recorder.script({ kind: 'echo', status: 500 }, { kind: 'echo', status: 401 })
        const error = await rejectionOf(client.query('vector(1)'))
        const secrets = await client.secrets()
        expect(secrets.length).toBeGreaterThan(0)
        expect(error.message).toContain('***')
        expect(error).toMatchObject({ kind: 'http', status: 401 })
        for (const secret of secrets) expect(error.message).not.toContain(secret)
        expect(error.message).not.toMatch(/echoed-/)
      })
  })

  it('fails with an auth error that names the missing variable, before sending anything', async () => {
    await withClient({ auth: { bearer: { env: 'NOT_SET_ANYWHERE' } }, authContext: { env: {} } }, async (client) => {
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'auth', attempts: 1 })
      expect(error.message).toContain('bearer token: environment variable NOT_SET_ANYWHERE is not set or empty')
      expect(recorder.requests).toHaveLength(0)
    })
  })

  it('refuses a secret with a line break without printing it', async () => {
    await withClient({ auth: { bearer: { env: 'T' } }, authContext: { env: { T: 'first-half\nX-Evil: second-half' } } }, async (client) => {
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'auth' })
      expect(error.message).toContain('contains a line break or control character')
      expect(error.message).not.toMatch(/first-half|second-half/)
      expect(recorder.requests).toHaveLength(0)
    })
  })
})

describe.skipIf(!haveBinaries)('OAuth2 client credentials', () => {
  let recorder: FaultServer
  let idp: FaultServer

  beforeAll(async () => {
    recorder = await FaultServer.start({ target: prometheus.url })
    idp = await FaultServer.start()
  })
  afterAll(async () => {
    await idp?.close()
    await recorder?.close()
  })

  const token = (value: string, expiresIn?: number): { kind: 'respond'; status: number; body: string } => ({
    kind: 'respond',
    status: 200,
    body: JSON.stringify({ access_token: value, token_type: 'Bearer', ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) })
  })

  function oauthClient(now?: () => number): PrometheusClient {
    recorder.reset()
    idp.reset()
    return new PrometheusClient({
      url: recorder.url,
      retry: FAST_RETRY,
      auth: { oauth2: { tokenUrl: `${idp.url}/oauth2/token`, clientId: 'release gate', clientSecret: { env: 'CLIENT_SECRET' }, scopes: ['metrics:read', 'openid'] } },
      authContext: { env: { CLIENT_SECRET: 'client-s3cret&=' }, ...(now ? { now } : {}) }
    })
  }

  it('fetches one token, caches it across queries, and sends it as a bearer token', async () => {
    const client = oauthClient()
    try {
      idp.script(token('access-token-1', 3600))
      await expectRealAnswer(client)
      await client.query('vector(1)')
      await client.query('vector(1)')
      expect(idp.requests).toHaveLength(1)
      const tokenRequest = idp.requests[0] as RecordedRequest
      expect(tokenRequest.url).toBe('/oauth2/token')
      expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded')
      expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({ grant_type: 'client_credentials', scope: 'metrics:read openid' })
      // RFC 6749 §2.3.1: form-encode id and secret, then Base64.
      expect(tokenRequest.headers.authorization).toBe(`Basic ${Buffer.from('release+gate:client-s3cret%26%3D').toString('base64')}`)
      expect(recorder.requests.map((r) => r.headers.authorization)).toEqual(Array(3).fill('Bearer access-token-1'))
      expect(await client.secrets()).toEqual(expect.arrayContaining(['client-s3cret&=', 'access-token-1']))
    } finally {
      await client.close()
    }
  })

  it('fetches a new token once the cached one is near its expiry', async () => {
    let now = 1_000_000
    const client = oauthClient(() => now)
    try {
      idp.script(token('short-lived-1', 60), token('short-lived-2', 60))
      await client.query('vector(1)')
      now += 29_000 // still inside the refresh margin of 30 s before expiry
      await client.query('vector(1)')
      now += 2_000
      await client.query('vector(1)')
      expect(idp.requests).toHaveLength(2)
      expect(recorder.requests.map((r) => r.headers.authorization)).toEqual(['Bearer short-lived-1', 'Bearer short-lived-1', 'Bearer short-lived-2'])
    } finally {
      await client.close()
    }
  })

  it('falls back to client_secret_post when the endpoint refuses Basic, and remembers it', async () => {
    const client = oauthClient()
    try {
      idp.script(
        { kind: 'respond', status: 401, body: '{"error":"invalid_client"}' },
        token('body-style-token') // no expires_in: kept until a 401
      )
      await client.query('vector(1)')
      expect(idp.requests).toHaveLength(2)
      const second = Object.fromEntries(new URLSearchParams(idp.requests[1]?.body))
      expect(second).toMatchObject({ grant_type: 'client_credentials', client_id: 'release gate', client_secret: 'client-s3cret&=' })
      expect(idp.requests[1]?.headers.authorization).toBeUndefined()

      // A 401 from the server drops the token; the next token request goes straight to the body style.
      recorder.script({ kind: 'respond', status: 401, body: 'token revoked' })
      idp.script(token('body-style-token-2'))
      await client.query('vector(1)')
      expect(idp.requests).toHaveLength(3)
      expect(idp.requests[2]?.headers.authorization).toBeUndefined()
      expect(recorder.requests.map((r) => r.headers.authorization)).toEqual(['Bearer body-style-token', 'Bearer body-style-token', 'Bearer body-style-token-2'])
    } finally {
      await client.close()
    }
  })

  it('reports a refused client as an auth error without the secret', async () => {
    const client = oauthClient()
    try {
      const refusal = { kind: 'respond' as const, status: 400, body: '{"error":"invalid_client","error_description":"bad secret client-s3cret&="}' }
      idp.script(refusal, refusal)
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'auth', status: 400 })
      expect(error.message).toMatch(/oauth2: token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token answered HTTP 400: invalid_client \(bad secret \*\*\*\)/)
      expect(error.message).not.toContain('client-s3cret')
      expect(recorder.requests).toHaveLength(0)
    } finally {
      await client.close()
    }
  })
})

describe.skipIf(!haveBinaries)('mTLS and proxies', () => {
  let pki: TestPki
  let tlsServer: FaultServer

  beforeAll(async () => {
    pki = await createTestPki()
    tlsServer = await FaultServer.start({
      target: prometheus.url,
      tls: { key: await readFile(pki.serverKey, 'utf8'), cert: await readFile(pki.serverCert, 'utf8'), ca: await readFile(pki.caCert, 'utf8'), requestCert: true }
    })
  })
  afterAll(async () => {
    await tlsServer?.close()
    if (pki) await rm(pki.dir, { recursive: true, force: true })
  })

  async function query(auth: HttpAuthConfig, url = tlsServer.url): Promise<unknown> {
    const client = new PrometheusClient({ url, auth, retry: { retries: 0 } })
    try {
      await expectRealAnswer(client)
      return undefined
    } catch (error) {
      return error
    } finally {
      await client.close()
    }
  }

  it('presents the client certificate and trusts the configured CA', async () => {
    expect(await query({ tls: { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey } })).toBeUndefined()
  })

  it('fails the handshake without a client certificate', async () => {
    const error = await query({ tls: { ca: pki.caCert } })
    expect(error).toMatchObject({ kind: 'network' })
  })

  it('refuses a server certificate from an untrusted CA, unless verification is skipped', async () => {
    const error = await query({ tls: { ca: pki.otherCaCert, cert: pki.clientCert, key: pki.clientKey } })
    expect(error).toMatchObject({ kind: 'network' })
    expect((error as Error).message).toMatch(/certificate|UNABLE_TO_VERIFY|self.signed/i)
    expect(await query({ tls: { cert: pki.clientCert, key: pki.clientKey, insecureSkipVerify: true } })).toBeUndefined()
  })

  it('reports an unreadable CA file as a config error', async () => {
    const error = await query({ tls: { ca: path.join(pki.dir, 'missing.pem') } })
    expect(error).toMatchObject({ kind: 'config' })
    expect((error as Error).message).toContain('(ENOENT)')
  })

  describe('through HTTP(S)_PROXY, as @actions/http-client routes it', () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY }
    const setEnv = (name: keyof typeof saved, value: string | undefined): void => {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    afterAll(() => {
      for (const [name, value] of Object.entries(saved)) setEnv(name as keyof typeof saved, value)
      for (const name of ['http_proxy', 'https_proxy', 'no_proxy']) delete process.env[name]
    })

    it('tunnels plain HTTP through HTTP_PROXY with proxy credentials, and masks the proxy password', async () => {
      const proxy = await startConnectProxy(prometheus.port)
      setEnv('HTTP_PROXY', `http://proxy-user:proxy-pass%21@${proxy.url.slice('http://'.length)}`)
      setEnv('NO_PROXY', 'example.org')
      const client = new PrometheusClient({ url: `http://${TEST_TLS_HOSTNAME}:9090` })
      try {
        await expectRealAnswer(client)
        expect(proxy.connects).toEqual([`${TEST_TLS_HOSTNAME}:9090`])
        expect(proxy.proxyAuthorizations).toEqual([`Basic ${Buffer.from('proxy-user:proxy-pass!').toString('base64')}`])
        expect(client.redact('proxy said proxy-pass! twice')).toBe('proxy said *** twice')
      } finally {
        await client.close()
        await proxy.close()
        setEnv('HTTP_PROXY', saved.HTTP_PROXY)
        setEnv('NO_PROXY', saved.NO_PROXY)
      }
    })

    it('carries mTLS through an HTTPS_PROXY tunnel', async () => {
      const proxy = await startConnectProxy(Number(new URL(tlsServer.url).port))
      setEnv('HTTPS_PROXY', proxy.url)
      try {
        const error = await query({ tls: { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey } }, `https://${TEST_TLS_HOSTNAME}:8443`)
        expect(error).toBeUndefined()
        expect(proxy.connects).toEqual([`${TEST_TLS_HOSTNAME}:8443`])
      } finally {
        await proxy.close()
        setEnv('HTTPS_PROXY', saved.HTTPS_PROXY)
      }
    })
  })
})

/** Recomputes an AWS SigV4 signature from the request as the server received it. */
function verifySigV4(request: RecordedRequest, secretAccessKey: string): { credential: string; signedHeaders: string[]; valid: boolean } {
  const authorization = String(request.headers.authorization ?? '')
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization)
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization}`)
  const [, credential = '', signedHeaderList = '', signature = ''] = match
  const [, date = '', region = '', service = ''] = credential.split('/')
  const signedHeaders = signedHeaderList.split(';')
  const url = new URL(request.url, 'http://placeholder')
  const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(request.headers[h] ?? '').trim()}\n`).join('')
  const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex')
  // Non-S3 services encode each path segment twice; these paths have nothing to encode.
  const canonicalRequest = [request.method, url.pathname, query, canonicalHeaders, signedHeaderList, sha256(request.body)].join('\n')
  const amzDate = String(request.headers['x-amz-date'])
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256(canonicalRequest)].join('\n')
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`)
  for (const part of [date, region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest()
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  return { credential, signedHeaders, valid: expected === signature }
}

const sigv4Packages = await Promise.all([import('@smithy/signature-v4'), import('@aws-sdk/credential-providers')]).then(
  () => true,
  () => false
)
if (!sigv4Packages) {
  const message = 'SigV4 tests: @smithy/signature-v4 and @aws-sdk/credential-providers are not installed'
  // Same rule as the binaries: in CI a missing dependency is a failure, not a skip.
  if (process.env.CI === 'true') throw new Error(message)
  console.warn(`SKIPPED ${message}`)
}

describe.skipIf(!haveBinaries || !sigv4Packages)('AWS SigV4 (Amazon Managed Prometheus)', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'AKIDRELEASEGATETEST', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYRELEASEGATE', AWS_SESSION_TOKEN: 'session-token-for-tests' }
  const saved = Object.fromEntries(Object.keys(keys).map((k) => [k, process.env[k]]))
  let recorder: FaultServer

  beforeAll(async () => {
    // The default chain reads the environment first; keys there keep it away from any metadata endpoint.
    Object.assign(process.env, keys)
    recorder = await FaultServer.start({ target: prometheus.url })
  })
  afterAll(async () => {
    await recorder?.close()
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it('signs the POST form so that the signature verifies over what the server received', async () => {
    recorder.reset()
    const client = new PrometheusClient({ url: `${recorder.url}/workspaces/ws-1234`, auth: { sigv4: { region: 'eu-west-1' }, headers: { 'X-Scope-OrgID': 'ws' } } })
    // AMP serves the API under /workspaces/<id>; Prometheus does not, so the recorder answers itself.
    recorder.script({ kind: 'respond', status: 200, body: '{"status":"success","data":{"resultType":"vector","result":[]}}' })
    try {
      // Listed for masking before any request is made.
      expect(await client.secrets()).toEqual(expect.arrayContaining([keys.AWS_SECRET_ACCESS_KEY, keys.AWS_SESSION_TOKEN]))
      await client.query('vector(1)', { time: AFTER_SHIFT })
      const request = recorder.requests[0] as RecordedRequest
      const check = verifySigV4(request, keys.AWS_SECRET_ACCESS_KEY)
      expect(check.valid).toBe(true)
      expect(check.credential).toMatch(/^AKIDRELEASEGATETEST\/\d{8}\/eu-west-1\/aps\/aws4_request$/)
      expect(check.signedHeaders).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-scope-orgid']))
      expect(request.headers['x-amz-security-token']).toBe(keys.AWS_SESSION_TOKEN)
    } finally {
      await client.close()
    }
  })

  it('signs Alertmanager GETs with repeated filter parameters', async () => {
    recorder.reset()
    recorder.script({ kind: 'respond', status: 200, body: '[]' })
    const client = new AlertmanagerClient({ url: `${recorder.url}/workspaces/ws-1234/alertmanager`, auth: { sigv4: { region: 'us-east-1' } } })
    try {
      await client.getAlerts({ filter: [{ name: 'severity', operator: '=~', value: 'page|critical' }, { name: 'team', operator: '=', value: 'a b' }] })
      const request = recorder.requests[0] as RecordedRequest
      expect(new URL(request.url, 'http://x').searchParams.getAll('filter')).toEqual(['severity=~"page|critical"', 'team="a b"'])
      expect(verifySigV4(request, keys.AWS_SECRET_ACCESS_KEY).valid).toBe(true)
    } finally {
      await client.close()
    }
  })
})
