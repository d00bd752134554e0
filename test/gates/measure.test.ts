import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { lookbackSeconds, measureGate, parseMatcher, type Measurement } from '../../src/gates/measure.js'
import { AlertmanagerClient } from '../../src/prometheus/alertmanager.js'
import type { PrometheusClient } from '../../src/prometheus/client.js'
import { ALERTMANAGER_BINARIES, createSilence, postAlerts, PROMETHEUS_BINARIES, requireBinaries, startAlertmanager, type ServerProcess } from '../infra/prometheus/harness.js'
import { configText, EXPECTED, INTERVAL, LOOP_START, ONSET, Q, startScenarioPrometheus } from './fixture.js'
import { client, FAST_RETRY, measureContext, preparedGates } from './support.js'

const haveBinaries = requireBinaries([...PROMETHEUS_BINARIES, ...ALERTMANAGER_BINARIES], 'gate measurement tests')

const BEFORE = ONSET - 60
/** Every 1m window at this time holds only post-ONSET increments. */
const AFTER = ONSET + 120

let prometheus: ServerProcess
let prom: PrometheusClient
beforeAll(async () => {
  if (!haveBinaries) return
  prometheus = await startScenarioPrometheus()
  prom = client(prometheus.url)
})
afterAll(async () => {
  await prom?.close()
  await prometheus?.stop()
})

/** Measures the single gate of a `gates:` body for a scenario at a time. */
async function measure(gatesBody: string, scenario: string, time: number): Promise<Measurement> {
  const [gate] = preparedGates(gatesBody).gates
  return measureGate(gate!, time, measureContext(prom, scenario))
}

const errorRateGate = (extra = '') => `checks:
  - name: error-rate
    kind: threshold
    query: '${Q.errorRatio()}'
    max: 0.01
${extra}`

const p99Gate = `checks:
  - name: p99
    kind: compare
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    maxIncrease: 0.15`

const ordersGate = (extra = '') => `checks:
  - name: orders
    kind: presence
    query: '${Q.orders}'
    min: 0
${extra}`

const minSamples = `    minSamples:
      query: '${Q.requests()}'
      min: 100`

describe.skipIf(!haveBinaries)('measureGate against a real Prometheus with backfilled scenarios', () => {
  it('passes a healthy canary with the exact error ratio and P99 the fixture implies', async () => {
    const errors = await measure(errorRateGate(), 'healthy', AFTER)
    expect(errors).toMatchObject({ gate: 'error-rate', time: AFTER, verdict: 'pass', reason: '0.001 is ≤ 0.01' })
    expect(errors.values.query![0]).toBeCloseTo(EXPECTED.errorRatioCanary, 12)
    const p99 = await measure(p99Gate, 'healthy', AFTER)
    expect(p99.verdict).toBe('pass')
    expect(p99.observed.canary).toBeCloseTo(EXPECTED.p99Stable, 9)
    expect(p99.observed.baseline).toBeCloseTo(EXPECTED.p99Stable, 9)
    expect(await measure(ordersGate(), 'healthy', AFTER)).toMatchObject({ verdict: 'pass', observed: { rate: expect.closeTo(EXPECTED.ordersRateCanary, 9) } })
  })

  it('fails a P99 regression once it fills the window, and passed it before the onset', async () => {
    expect((await measure(p99Gate, 'p99-regression', BEFORE)).verdict).toBe('pass')
    const after = await measure(p99Gate, 'p99-regression', AFTER)
    expect(after.verdict).toBe('fail')
    expect(after.observed.canary).toBeCloseTo(EXPECTED.p99CanaryAfterRegression, 9)
    expect(after.observed.change).toBeCloseTo(EXPECTED.p99CanaryAfterRegression / EXPECTED.p99Stable - 1, 9)
    expect(after.reason).toMatch(/^canary 0\.6429 vs baseline 0\.4868 \(\+32\.05%\) exceeds the allowed \+15%$/)
  })

  it('fails 5% errors with the threshold kind and with the sequential kind, which reads {{ elapsed }}', async () => {
    expect(await measure(errorRateGate(), 'errors', AFTER)).toMatchObject({ verdict: 'fail', reason: '0.05 is above max 0.01' })
    const sequential = `checks:
  - name: errors-vs-baseline
    kind: sequential
    canaryErrors: '${Q.errorsSince('canary')}'
    canaryTotal: '${Q.totalSince('canary')}'
    baselineErrors: '${Q.errorsSince('stable')}'
    baselineTotal: '${Q.totalSince('stable')}'`
    const healthy = await measure(sequential, 'healthy', AFTER)
    expect(healthy.verdict).toBe('pass')
    // The window runs from LOOP_START, so {{ elapsed }} is 420s at ONSET + 120.
    expect(healthy.lookbackSeconds).toBe(AFTER - LOOP_START)
    expect(healthy.values.canaryTotal![0]).toBeCloseTo((500 / 15) * (AFTER - LOOP_START), 6)
    const failing = await measure(sequential, 'errors', AFTER)
    expect(failing.verdict).toBe('fail')
    expect(failing.reason).toContain('the error ratio rose')
  })

  it('fails when business events stop while requests go on', async () => {
    expect((await measure(ordersGate(), 'events-stop', BEFORE)).verdict).toBe('pass')
    expect(await measure(ordersGate(), 'events-stop', AFTER)).toMatchObject({ verdict: 'fail', reason: 'events at 0/s, not above 0: the flow stopped' })
  })

  it('calls low traffic inconclusive through minSamples, not failed', async () => {
    // Without a sample-size guard the presence gate would fail: 0.05 orders per step can leave a minute empty.
    const guarded = await measure(ordersGate(minSamples), 'low-traffic', AFTER)
    expect(guarded).toMatchObject({ verdict: 'inconclusive', observed: { sampleSize: 8, minSamples: 100 } })
    expect(guarded.reason).toBe('sample size 8 is below the minimum 100: too little traffic to judge')
    expect((await measure(errorRateGate(minSamples), 'low-traffic', AFTER)).verdict).toBe('inconclusive')
    // The same guard lets a healthy canary through.
    expect((await measure(ordersGate(minSamples), 'healthy', AFTER)).verdict).toBe('pass')
  })

  it('applies the noData policy to NaN (0/0) and names what was missing', async () => {
    const nan = await measure(errorRateGate(), 'no-traffic', AFTER)
    expect(nan).toMatchObject({ verdict: 'inconclusive', noData: true, reason: 'no data: query returned only NaN/Inf (1 value(s)) (noData: inconclusive)' })
    expect((await measure(errorRateGate('    noData: fail'), 'no-traffic', AFTER)).verdict).toBe('fail')
    expect(await measure(errorRateGate('    noData: pass'), 'no-traffic', AFTER)).toMatchObject({ verdict: 'pass', noData: true })
    // histogram_quantile over zero observations is NaN too.
    expect(await measure(p99Gate, 'no-traffic', AFTER)).toMatchObject({ verdict: 'inconclusive', reason: expect.stringContaining('canary returned only NaN/Inf') })
  })

  it('applies the noData policy to absent series; presence defaults to fail', async () => {
    expect(await measure(errorRateGate(), 'absent', AFTER)).toMatchObject({ verdict: 'inconclusive', reason: 'no data: query returned no series (noData: inconclusive)' })
    expect(await measure(ordersGate(), 'absent', AFTER)).toMatchObject({ verdict: 'fail', noData: true, reason: 'no data: query returned no series (noData: fail)' })
  })

  it('escapes variables: a value that tries to break out of the matcher finds no series instead of passing', async () => {
    const hostile = 'healthy"} or vector(0) or {x="'
    const m = await measure(errorRateGate(), hostile, AFTER)
    expect(m).toMatchObject({ verdict: 'inconclusive', reason: 'no data: query returned no series (noData: inconclusive)' })
  })

  it('reads firing alerts from the ALERTS series when the source is prometheus', async () => {
    const alerts = (scenario: string) => `checks:
  - name: no-alerts
    kind: alerts
    source: prometheus
    matchers: ['severity="critical"', 'scenario="${scenario}"']`
    expect(await measure(alerts('errors'), 'x', AFTER)).toMatchObject({ verdict: 'fail', reason: '1 alert(s) firing: CanaryErrorRate' })
    expect(await measure(alerts('errors'), 'x', BEFORE)).toMatchObject({ verdict: 'pass', reason: 'no matching alert is firing' })
    expect((await measure(alerts('healthy'), 'x', AFTER)).verdict).toBe('pass')
  })

  it('judges a range-sampled kind (mann-whitney) on the samples of the window', async () => {
    const gate = `checks:
  - name: p99-distribution
    kind: mann-whitney
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    step: 15s
    minSamplesPerSide: 8`
    const healthy = await measure(gate, 'healthy', AFTER)
    expect(healthy.verdict).toBe('pass')
    // [AFTER - 420 s, AFTER] at 15 s: 29 samples per side.
    expect(healthy.values).toEqual({ canary: [29], baseline: [29] })
    const regressed = await measure(gate, 'p99-regression', ONSET + 600)
    expect(regressed.verdict).toBe('fail')
    expect(regressed.observed.canaryMedian).toBeCloseTo(EXPECTED.p99CanaryAfterRegression, 9)
  })

  it('turns a query Prometheus refuses into an error measurement with a hint, never a throw', async () => {
    const broken = `checks:
  - name: broken
    kind: threshold
    query: 'sum(rate(http_requests_total[1m])'
    max: 1`
    const m = await measure(broken, 'healthy', AFTER)
    expect(m).toMatchObject({ verdict: 'error', errorKind: 'bad_data' })
    expect(m.reason).toMatch(/bad_data \(HTTP 400\).*parse error.*\(the query itself is wrong: fix it in the config\)$/)
  })

  it('reports an instant query that returns a range vector as an error that says how to fix it', async () => {
    const gate = `checks:
  - { name: raw, kind: threshold, query: 'http_requests_total{scenario="{{ scenario }}"}[1m]', max: 1 }`
    expect(await measure(gate, 'healthy', AFTER)).toMatchObject({ verdict: 'error', reason: expect.stringContaining('returns a range vector') })
  })
})

describe.skipIf(!haveBinaries)('alerts gate against a real Alertmanager 0.25', () => {
  let alertmanager: ServerProcess
  let am: AlertmanagerClient
  beforeAll(async () => {
    alertmanager = await startAlertmanager()
    am = new AlertmanagerClient({ url: alertmanager.url, retry: FAST_RETRY })
  })
  afterAll(async () => {
    await am?.close()
    await alertmanager?.stop()
  })

  const gateBody = (service: string, extra = '') => `checks:
  - name: no-critical-alerts
    kind: alerts
    matchers: ['severity="critical"', 'service="${service}"']
${extra}`

  async function measureAlerts(body: string): Promise<Measurement> {
    const [gate] = preparedGates(body).gates
    return measureGate(gate!, ONSET, { ...measureContext(prom, 'x'), sources: { alertmanager: am } })
  }

  it('passes when nothing matches: an empty answer means nothing is firing', async () => {
    expect(await measureAlerts(gateBody('quiet'))).toMatchObject({ verdict: 'pass', observed: { firing: 0 } })
  })

  it('fails on a posted alert and names it; other services and severities do not count', async () => {
    await postAlerts(alertmanager.url, [
      { labels: { alertname: 'CheckoutDown', severity: 'critical', service: 'checkout' } },
      { labels: { alertname: 'CheckoutSlow', severity: 'warning', service: 'checkout' } },
      { labels: { alertname: 'PaymentsDown', severity: 'critical', service: 'payments' } }
    ])
    expect(await measureAlerts(gateBody('checkout'))).toMatchObject({ verdict: 'fail', reason: '1 alert(s) firing: CheckoutDown' })
  })

  it('leaves silenced alerts out unless includeSilenced', async () => {
    await postAlerts(alertmanager.url, [{ labels: { alertname: 'SearchDown', severity: 'critical', service: 'search' } }])
    await createSilence(alertmanager.url, { alertname: 'SearchDown' })
    expect((await measureAlerts(gateBody('search'))).verdict).toBe('pass')
    expect(await measureAlerts(gateBody('search', '    includeSilenced: true'))).toMatchObject({ verdict: 'fail', reason: '1 alert(s) firing: SearchDown' })
  })

  it('matches a value with quotes and commas literally', async () => {
    const service = 'a"b,c'
    await postAlerts(alertmanager.url, [{ labels: { alertname: 'Weird', severity: 'critical', service } }])
    expect(parseMatcher('service="a\\"b,c"')).toEqual({ name: 'service', operator: '=', value: service })
    const body = `checks:
  - name: weird
    kind: alerts
    matchers: ['service="a\\"b,c"']`
    expect(await measureAlerts(body)).toMatchObject({ verdict: 'fail', reason: '1 alert(s) firing: Weird' })
  })

  it('is an error, not a pass, when Alertmanager is unreachable', async () => {
    const [gate] = preparedGates(gateBody('checkout')).gates
    const dead = new AlertmanagerClient({ url: 'http://127.0.0.1:9', retry: { retries: 0 } })
    try {
      expect(await measureGate(gate!, ONSET, { ...measureContext(prom, 'x'), sources: { alertmanager: dead } })).toMatchObject({ verdict: 'error', errorKind: 'network' })
    } finally {
      await dead.close()
    }
  })
})

describe('gate configs the measurement relies on', () => {
  it('rejects a mann-whitney step that is not a duration when the config loads (it used to fail only at query time)', () => {
    const text = configText(`checks:
  - { name: mw, kind: mann-whitney, canary: a, baseline: b, step: fast }`)
    expect(() => parseConfig(text, 'x.yml')).toThrow(/x\.yml:4:\d+: .*step: expected a duration such as 30s/)
  })

  it('uses the interval as the lookback of the first measurement', () => {
    expect(lookbackSeconds(LOOP_START, { windowStart: LOOP_START, intervalSeconds: INTERVAL })).toBe(INTERVAL)
    expect(lookbackSeconds(LOOP_START + 95, { windowStart: LOOP_START, intervalSeconds: INTERVAL })).toBe(95)
  })
})
