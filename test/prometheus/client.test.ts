import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PrometheusClient } from '../../src/prometheus/client.js'
import { PrometheusError } from '../../src/prometheus/errors.js'
import { FaultServer } from '../infra/prometheus/fault-server.js'
import { PROMETHEUS_BINARIES, requireBinaries, startPrometheus, type ServerProcess } from '../infra/prometheus/harness.js'
import { AFTER_SHIFT, BEFORE_SHIFT, ERROR_RATIO_QUERY, EXPECTED, P99_QUERY, SHIFT_AT } from './fixture.js'
import { FAST_RETRY, rejectionOf, startFixturePrometheus } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'Prometheus client tests')

// One fixture server for every suite in this file: each start costs a backfill and a launch.
let prometheus: ServerProcess
beforeAll(async () => {
  if (haveBinaries) prometheus = await startFixturePrometheus()
})
afterAll(async () => {
  await prometheus?.stop()
})

function byTrack(result: Array<{ metric: Record<string, string>; value: number }>): Record<string, number> {
  return Object.fromEntries(result.map((s) => [s.metric.track ?? '', s.value]))
}

describe.skipIf(!haveBinaries)('PrometheusClient against a real Prometheus with a backfilled fixture', () => {
  let client: PrometheusClient

  beforeAll(async () => {
    client = new PrometheusClient({ url: prometheus.url, retry: FAST_RETRY })
  })
  afterAll(async () => {
    await client?.close()
  })

  it('returns the exact p99 from histogram_quantile for both tracks after the shift', async () => {
    const { data, warnings, infos, attempts } = await client.query(P99_QUERY, { time: AFTER_SHIFT })
    expect(data.resultType).toBe('vector')
    if (data.resultType !== 'vector') return
    const p99 = byTrack(data.result)
    // Worked out by hand from the bucket increments; the rate() arithmetic adds only float noise.
    expect(p99.stable).toBeCloseTo(EXPECTED.p99.stable, 12)
    expect(p99.canary).toBeCloseTo(EXPECTED.p99.canaryAfter, 12)
    // And bit-for-bit what Prometheus 2.42 answers on every run.
    expect(p99).toEqual({ stable: 0.4868421052631581, canary: 0.8749999999999993 })
    expect(data.result.every((s) => s.timestamp === AFTER_SHIFT)).toBe(true)
    expect({ warnings, infos, attempts }).toEqual({ warnings: [], infos: [], attempts: 1 })
  })

  it('returns the exact error ratio before and after the shift', async () => {
    const after = await client.query(ERROR_RATIO_QUERY, { time: AFTER_SHIFT })
    const before = await client.query(ERROR_RATIO_QUERY, { time: new Date(BEFORE_SHIFT * 1000) })
    if (after.data.resultType !== 'vector' || before.data.resultType !== 'vector') throw new Error('expected vectors')
    expect(byTrack(after.data.result)).toEqual({ stable: EXPECTED.errorRatio.stable, canary: EXPECTED.errorRatio.canaryAfter })
    expect(byTrack(before.data.result)).toEqual({ stable: EXPECTED.errorRatio.stable, canary: EXPECTED.errorRatio.canaryBefore })
  })

  it('runs a range query across the shift: 0.001 before, 0.02 after, mixed in between', async () => {
    const start = SHIFT_AT - 120
    const { data } = await client.queryRange(ERROR_RATIO_QUERY, { start, end: SHIFT_AT + 120, stepSeconds: 30 })
    const canary = data.result.find((s) => s.metric.track === 'canary')
    const stable = data.result.find((s) => s.metric.track === 'stable')
    expect(canary?.samples.map((s) => s.timestamp)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => start + 30 * i))
    const values = canary?.samples.map((s) => s.value) ?? []
    expect(values[0]).toBeCloseTo(EXPECTED.errorRatio.canaryBefore, 12)
    expect(values[8]).toBeCloseTo(EXPECTED.errorRatio.canaryAfter, 12)
    // The 1m window mixes old and new increments for a minute after the shift.
    const mixed = values.filter((v) => v > EXPECTED.errorRatio.canaryBefore + 1e-9 && v < EXPECTED.errorRatio.canaryAfter - 1e-9)
    expect(mixed.length).toBeGreaterThan(0)
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual((values[i - 1] ?? 0) - 1e-12)
    expect(stable?.samples.every((s) => Math.abs(s.value - EXPECTED.errorRatio.stable) < 1e-12)).toBe(true)
  })

  it('decodes NaN, +Inf and -Inf sent as strings into numbers', async () => {
    const at = { time: AFTER_SHIFT }
    const nan = await client.query('0/0', at)
    const posInf = await client.query('vector(1)/0', at)
    const negInf = await client.query('-1/0', at)
    // A histogram with no observations in the window: Prometheus answers NaN per its docs.
    const empty = await client.query('histogram_quantile(0.5, rate(http_request_duration_seconds_bucket{track="canary"}[1m]) * 0)', at)
    expect(nan.data).toEqual({ resultType: 'scalar', result: { timestamp: AFTER_SHIFT, value: Number.NaN } })
    expect(posInf.data).toEqual({ resultType: 'vector', result: [{ metric: {}, timestamp: AFTER_SHIFT, value: Number.POSITIVE_INFINITY }] })
    expect(negInf.data).toEqual({ resultType: 'scalar', result: { timestamp: AFTER_SHIFT, value: Number.NEGATIVE_INFINITY } })
    if (empty.data.resultType !== 'vector') throw new Error('expected a vector')
    expect(empty.data.result).toHaveLength(1)
    expect(Number.isNaN(empty.data.result[0]?.value)).toBe(true)
  })

  it('decodes string results and range selectors queried at an instant (matrix)', async () => {
    const text = await client.query('"release-gate"', { time: AFTER_SHIFT })
    expect(text.data).toEqual({ resultType: 'string', result: { timestamp: AFTER_SHIFT, value: 'release-gate' } })
    const raw = await client.query('http_requests_total{track="stable",code="500"}[1m]', { time: AFTER_SHIFT })
    if (raw.data.resultType !== 'matrix') throw new Error(`expected a matrix, got ${raw.data.resultType}`)
    expect(raw.data.result[0]?.samples.map((s) => s.timestamp)).toEqual([AFTER_SHIFT - 60, AFTER_SHIFT - 45, AFTER_SHIFT - 30, AFTER_SHIFT - 15, AFTER_SHIFT])
  })

  it('reports a parse error as bad_data with Prometheus position, after exactly one request', async () => {
    const recorder = await FaultServer.start({ target: prometheus.url })
    const viaRecorder = new PrometheusClient({ url: recorder.url, retry: FAST_RETRY })
    try {
      const error = await rejectionOf(viaRecorder.query('sum(rate(http_requests_total[1m])'))
      expect(error).toBeInstanceOf(PrometheusError)
      expect(error).toMatchObject({ kind: 'bad_data', status: 400, errorType: 'bad_data', attempts: 1, retryable: false })
      expect(error.message).toMatch(/^Prometheus POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: bad_data \(HTTP 400\): invalid parameter "query": 1:\d+: parse error/)
      expect(recorder.requests).toHaveLength(1)
    } finally {
      await viaRecorder.close()
      await recorder.close()
    }
  })

  it('reports a many-to-many match as an execution error (422), not retried', async () => {
    const recorder = await FaultServer.start({ target: prometheus.url })
    const viaRecorder = new PrometheusClient({ url: recorder.url, retry: FAST_RETRY })
    try {
      const error = await rejectionOf(viaRecorder.query('http_requests_total + on() http_requests_total', { time: AFTER_SHIFT }))
      expect(error).toMatchObject({ kind: 'execution', status: 422, attempts: 1 })
      expect(error.message).toContain('many-to-many matching not allowed')
      expect(recorder.requests).toHaveLength(1)
    } finally {
      await viaRecorder.close()
      await recorder.close()
    }
  })

  it('sends queries as a POST form with time and a server-side timeout', async () => {
    const recorder = await FaultServer.start({ target: prometheus.url })
    const viaRecorder = new PrometheusClient({ url: recorder.url, timeoutMs: 4_000 })
    try {
      await viaRecorder.query('up', { time: new Date(AFTER_SHIFT * 1000 + 250) })
      await viaRecorder.queryRange('up', { start: BEFORE_SHIFT, end: AFTER_SHIFT, stepSeconds: 60, timeoutMs: 1_500 })
      const [instant, range] = recorder.requests
      expect(instant?.method).toBe('POST')
      expect(instant?.url).toBe('/api/v1/query')
      expect(instant?.headers['content-type']).toBe('application/x-www-form-urlencoded')
      expect(Object.fromEntries(new URLSearchParams(instant?.body))).toEqual({ query: 'up', time: `${AFTER_SHIFT}.25`, timeout: '4000ms' })
      expect(range?.url).toBe('/api/v1/query_range')
      expect(Object.fromEntries(new URLSearchParams(range?.body))).toEqual({
        query: 'up',
        start: String(BEFORE_SHIFT),
        end: String(AFTER_SHIFT),
        step: '60',
        timeout: '1500ms'
      })
    } finally {
      await viaRecorder.close()
      await recorder.close()
    }
  })
})

describe.skipIf(!haveBinaries)('PrometheusClient fault handling', () => {
  let fault: FaultServer

  beforeAll(async () => {
    fault = await FaultServer.start({ target: prometheus.url })
  })
  afterAll(async () => {
    await fault?.close()
  })

  async function withClient<T>(options: Partial<ConstructorParameters<typeof PrometheusClient>[0]>, fn: (c: PrometheusClient) => Promise<T>): Promise<T> {
    fault.reset()
    const client = new PrometheusClient({ url: fault.url, retry: FAST_RETRY, ...options })
    try {
      return await fn(client)
    } finally {
      await client.close()
    }
  }

  it('retries 503 and 502 with backoff, then returns the real answer', async () => {
    await withClient({}, async (client) => {
      fault.script(
        { kind: 'respond', status: 503, body: '{"status":"error","errorType":"unavailable","error":"overloaded"}' },
        { kind: 'respond', status: 502, body: '<html>bad gateway</html>' }
      )
      const { data, attempts } = await client.query(ERROR_RATIO_QUERY, { time: AFTER_SHIFT })
      expect(attempts).toBe(3)
      expect(fault.requests).toHaveLength(3)
      if (data.resultType !== 'vector') throw new Error('expected a vector')
      expect(byTrack(data.result).canary).toBe(EXPECTED.errorRatio.canaryAfter)
    })
  })

  it('retries a reset connection, then succeeds', async () => {
    await withClient({}, async (client) => {
      fault.script({ kind: 'reset' })
      const { attempts } = await client.query('vector(1)')
      expect(attempts).toBe(2)
    })
  })

  it('gives up after the configured retries with the last HTTP error', async () => {
    await withClient({ retry: { retries: 2, initialDelayMs: 5, maxDelayMs: 10 } }, async (client) => {
      fault.script(...Array.from({ length: 3 }, () => ({ kind: 'respond' as const, status: 500, body: 'upstream exploded' })))
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'http', status: 500, attempts: 3, retryable: true })
      expect(error.message).toMatch(/HTTP 500: upstream exploded \(after 3 attempts\)$/)
      expect(fault.requests).toHaveLength(3)
    })
  })

  it('waits at least as long as Retry-After asks, within the backoff ceiling', async () => {
    await withClient({ retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 2_000 } }, async (client) => {
      fault.script({ kind: 'respond', status: 429, body: 'slow down', headers: { 'retry-after': '0.4' } })
      const started = performance.now()
      await client.query('vector(1)')
      expect(performance.now() - started).toBeGreaterThanOrEqual(390)
    })
  })

  it('times out a server that never answers, without retrying', async () => {
    await withClient({ timeoutMs: 200 }, async (client) => {
      fault.script({ kind: 'hang' })
      const started = performance.now()
      const error = await rejectionOf(client.query('vector(1)'))
      const elapsed = performance.now() - started
      expect(error).toMatchObject({ kind: 'timeout', attempts: 1, retryable: false })
      expect(error.message).toContain('no complete answer within 200 ms')
      expect(elapsed).toBeGreaterThanOrEqual(195)
      expect(elapsed).toBeLessThan(2_000)
    })
  })

  it('times out a body that stalls after the headers', async () => {
    await withClient({}, async (client) => {
      fault.script({ kind: 'stallBody' })
      const error = await rejectionOf(client.query('vector(1)', { timeoutMs: 150 }))
      expect(error).toMatchObject({ kind: 'timeout' })
    })
  })

  it('stops when the caller aborts', async () => {
    await withClient({ timeoutMs: 5_000 }, async (client) => {
      fault.script({ kind: 'hang' })
      const error = await rejectionOf(client.query('vector(1)', { signal: AbortSignal.timeout(100) }))
      expect(error).toMatchObject({ kind: 'timeout' })
      expect(error.message).toContain('aborted by the caller')
    })
  })

  it.each([
    ['an HTML page', '<html><body>Sign in</body></html>', /answer is not JSON \(starts with "<html>/],
    ['truncated JSON', '{"status":"success","data":{"resultType":"vec', /answer is not JSON/],
    ['a success without data', '{"status":"success"}', /"data" is missing or not an object/],
    ['an unknown resultType', '{"status":"success","data":{"resultType":"table","result":[]}}', /unknown resultType "table"/],
    ['a value that is not a number', '{"status":"success","data":{"resultType":"scalar","result":[1,"one"]}}', /result: sample value is not a number: "one"/],
    [
      'a native histogram sample',
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{"count":"1","sum":"1","buckets":[]}]}]}}',
      /result\[0\] holds native histogram samples/
    ]
  ])('turns %s with HTTP 200 into a garbage error, not retried', async (_name, body, message) => {
    await withClient({}, async (client) => {
      fault.script({ kind: 'respond', status: 200, body })
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'garbage', status: 200 })
      expect(error.message).toMatch(message)
      expect(fault.requests).toHaveLength(1)
    })
  })

  it('surfaces warnings and infos while keeping the data', async () => {
    await withClient({}, async (client) => {
      fault.script({
        kind: 'respond',
        status: 200,
        body: JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: { job: 'api' }, value: [AFTER_SHIFT, '0.5'] }] },
          warnings: ['remote_read: partial answer'],
          infos: ['PromQL info: input to histogram_quantile needed to be fixed for monotonicity']
        })
      })
      const response = await client.query('vector(1)')
      expect(response.warnings).toEqual(['remote_read: partial answer'])
      expect(response.infos).toEqual(['PromQL info: input to histogram_quantile needed to be fixed for monotonicity'])
      expect(response.data).toEqual({ resultType: 'vector', result: [{ metric: { job: 'api' }, timestamp: AFTER_SHIFT, value: 0.5 }] })
    })
  })

  it('keeps a base path prefix such as Mimir /prometheus', async () => {
    await withClient({ url: `${fault.url}/prometheus` }, async (client) => {
      fault.script({ kind: 'respond', status: 200, body: '{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}' })
      await client.query('vector(1)')
      expect(fault.requests[0]?.url).toBe('/prometheus/api/v1/query')
    })
  })

  it('refuses a redirect instead of following it', async () => {
    await withClient({}, async (client) => {
      fault.script({ kind: 'respond', status: 302, body: '', headers: { location: 'https://login.example/sso?token=abc' } })
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'http', status: 302, attempts: 1 })
      expect(error.message).toContain('redirect to https://login.example/sso;')
      expect(error.message).not.toContain('token=abc')
    })
  })
})

describe.skipIf(!haveBinaries)('PrometheusClient with real server-side problems', () => {
  it('reports a network error after retries when Prometheus is killed mid-run', async () => {
    const prometheus = await startPrometheus()
    const client = new PrometheusClient({ url: prometheus.url, retry: FAST_RETRY })
    try {
      expect((await client.query('vector(1)')).data.resultType).toBe('vector')
      await prometheus.kill()
      const error = await rejectionOf(client.query('vector(1)'))
      expect(error).toMatchObject({ kind: 'network', attempts: 4, retryable: true })
      expect(error.message).toMatch(/network error: .*ECONNREFUSED/)
    } finally {
      await client.close()
      await prometheus.stop()
    }
  })

  it('surfaces the real warning Prometheus sends when a remote-read backend fails', async () => {
    const brokenRemote = await FaultServer.start({ fallback: { kind: 'respond', status: 500, body: 'remote storage down' } })
    const prometheus = await startPrometheus({
      config: `global:\n  scrape_interval: 15s\nremote_read:\n  - url: ${brokenRemote.url}/api/v1/read\n    read_recent: true\n`
    })
    const client = new PrometheusClient({ url: prometheus.url })
    try {
      const response = await client.query('count(up)')
      expect(response.data).toEqual({ resultType: 'vector', result: [] })
      expect(response.warnings).toHaveLength(1)
      expect(response.warnings[0]).toMatch(/^remote_read: remote server http:\/\/127\.0\.0\.1:\d+\/api\/v1\/read returned HTTP status 500.*remote storage down/)
    } finally {
      await client.close()
      await prometheus.stop()
      await brokenRemote.close()
    }
  })
})
