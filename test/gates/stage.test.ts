import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { virtualClock } from '../../src/gates/loop.js'
import { gatePositions, parseTime, runGateCommand, runGates } from '../../src/gates/stage.js'
import { UsageError } from '../../src/errors.js'
import { FaultServer } from '../infra/prometheus/fault-server.js'
import { ALERTMANAGER_BINARIES, postAlerts, PROMETHEUS_BINARIES, requireBinaries, startAlertmanager, type ServerProcess } from '../infra/prometheus/harness.js'
import { cli } from '../cli/run.js'
import { configText, END, INTERVAL, LOOP_START, ONSET, Q, startScenarioPrometheus } from './fixture.js'
import { CONFIG_NAME, removeTempConfigs, stageContext } from './support.js'

const haveBinaries = requireBinaries([...PROMETHEUS_BINARIES, ...ALERTMANAGER_BINARIES], 'gates stage tests')

let prometheus: ServerProcess
let alertmanager: ServerProcess
beforeAll(async () => {
  if (!haveBinaries) return
  ;[prometheus, alertmanager] = await Promise.all([startScenarioPrometheus(), startAlertmanager()])
})
afterAll(async () => {
  await Promise.all([prometheus?.stop(), alertmanager?.stop()])
  removeTempConfigs()
})

/** The quick-start gates, pointed at a scenario of the fixture. */
function gatesBody(scenario: string, schedule = 'interval: 30s\ncount: 20\nconsecutiveSuccesses: 2'): string {
  return `${schedule}
variables: { scenario: ${scenario} }
checks:
  - name: error-rate
    description: Canary 5xx ratio stays under 1%.
    kind: threshold
    critical: true
    query: '${Q.errorRatio()}'
    max: 0.01
    minSamples: { query: '${Q.requests()}', min: 100 }
  - name: p99-latency
    kind: compare
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    maxIncrease: 0.15
    minAbsoluteChange: 0.005
    minSamples: { query: '${Q.requests()}', min: 100 }
  - name: orders-flowing
    kind: presence
    query: '${Q.orders}'
    min: 0
    minSamples: { query: '${Q.requests()}', min: 100 }`
}

const endpoints = (promUrl: string, amUrl?: string) => `prometheus:\n  url: ${promUrl}\n  timeout: 2s\n${amUrl ? `alertmanager:\n  url: ${amUrl}\n` : ''}`

const atLoopStart = () => ({ clock: virtualClock(LOOP_START * 1000) })

describe.skipIf(!haveBinaries)('runGates: the gates stage end to end (real Prometheus, virtual clock)', () => {
  it('passes a healthy canary with details, evidence of every measurement and the resolved queries', async () => {
    const ctx = stageContext(configText(gatesBody('healthy'), endpoints(prometheus.url)))
    const { result, rules } = await runGates(ctx, atLoopStart())
    expect(result).toMatchObject({ stage: 'gates', verdict: 'pass', summary: 'all 3 gate(s) passed', findings: [] })
    expect(result.details![0]).toBe('2023-12-31T23:25:00Z → 2023-12-31T23:34:30Z: 20 round(s) every 30s')
    expect(result.details).toContain('gate error-rate (threshold, critical): pass — 20 of 20 measurement(s) passed; last: 0.001 is ≤ 0.01')
    expect(rules).toEqual({
      'gate:error-rate': { purpose: 'Canary 5xx ratio stays under 1%.' },
      'gate:p99-latency': { purpose: expect.stringContaining('relative change of the baseline') },
      'gate:orders-flowing': { purpose: expect.stringContaining('Business events keep flowing') }
    })
    const evidence = result.evidence as { gates: Array<{ name: string; queries: Record<string, string>; measurements: Array<Record<string, unknown>> }>; summaryMarkdown: string }
    const errorRate = evidence.gates[0]!
    expect(errorRate.measurements).toHaveLength(20)
    expect(errorRate.measurements[0]).toMatchObject({ time: '2023-12-31T23:25:00Z', verdict: 'pass', reason: '0.001 is ≤ 0.01', values: { query: [expect.closeTo(0.001, 12)], minSamples: [expect.closeTo(2000, 6)] } })
    expect(errorRate.queries.query).toBe(
      'sum(rate(http_requests_total{scenario="healthy",track="canary",code="500"}[1m])) / sum(rate(http_requests_total{scenario="healthy",track="canary"}[1m]))'
    )
    expect(evidence.summaryMarkdown).toContain('#### ✅ error-rate (threshold, critical): pass')
    expect(evidence.summaryMarkdown.match(/```mermaid\nxychart-beta/g)).toHaveLength(3)
  })

  it('fails on the critical gate with an error finding at the gate\'s line in the config', async () => {
    const ctx = stageContext(configText(gatesBody('errors'), endpoints(prometheus.url)))
    const { result } = await runGates(ctx, atLoopStart())
    expect(result.verdict).toBe('fail')
    expect(result.summary).toBe('1 gate(s) failed: error-rate (gate error-rate ended the run)')
    const lines = configText(gatesBody('errors'), endpoints(prometheus.url)).split('\n')
    const gateLine = lines.findIndex((l) => l.includes('- name: error-rate')) + 1
    expect(result.findings).toContainEqual({
      rule: 'gate:error-rate',
      stage: 'gates',
      severity: 'error',
      message: 'gate error-rate failed: failed (1) > failureLimit (0): 0.01325 is above max 0.01',
      path: CONFIG_NAME,
      line: gateLine,
      column: 7
    })
    // The other gates were cut short by the critical failure: inconclusive, never passed.
    expect(result.findings.filter((f) => f.severity === 'warning').map((f) => [f.rule, f.help])).toEqual([
      ['gate:p99-latency', 'Another gate failed first and ended the run, so this one was not judged to the end.'],
      ['gate:orders-flowing', 'Another gate failed first and ended the run, so this one was not judged to the end.']
    ])
    // The onset measurement already sees 5% errors in part of its 1m window.
    expect(result.details).toContain('  measurements: 10 pass, 1 fail, 0 inconclusive, 0 error; decided at 2023-12-31T23:30:00Z')
    const evidence = result.evidence as { endedBy: string; gates: Array<{ decidedAt: string }> }
    expect(evidence.endedBy).toBe('error-rate')
    expect(Date.parse(evidence.gates[0]!.decidedAt) / 1000 - ONSET).toBeLessThanOrEqual(2 * INTERVAL)
  })

  it('is inconclusive with a warning per gate when traffic is too low, never failed', async () => {
    const ctx = stageContext(configText(gatesBody('low-traffic'), endpoints(prometheus.url)))
    const { result } = await runGates(ctx, atLoopStart())
    expect(result.verdict).toBe('inconclusive')
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['gate:error-rate', 'warning'],
      ['gate:p99-latency', 'warning'],
      ['gate:orders-flowing', 'warning']
    ])
    expect(result.findings[0]!.help).toContain('Too little data to judge')
  })

  it('runs an alerts gate against Alertmanager next to the Prometheus gates', async () => {
    await postAlerts(alertmanager.url, [{ labels: { alertname: 'CheckoutDown', severity: 'critical', namespace: 'shop-stage-test' } }])
    const body = `${gatesBody('healthy', 'interval: 30s\ncount: 3')}
  - name: no-critical-alerts
    kind: alerts
    matchers: ['severity="critical"', 'namespace="shop-stage-test"']`
    const { result } = await runGates(stageContext(configText(body, endpoints(prometheus.url, alertmanager.url))), atLoopStart())
    expect(result.verdict).toBe('fail')
    expect(result.findings.find((f) => f.severity === 'error')).toMatchObject({ rule: 'gate:no-critical-alerts', message: expect.stringContaining('1 alert(s) firing: CheckoutDown') })
  })

  it('masks auth secrets in Actions, sends them, and never prints them in the report', async () => {
    const token = 'tok-3f9a1c77e2'
    const recorder = await FaultServer.start({ target: prometheus.url })
    const writes: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk))
      return true
    }) as typeof process.stdout.write
    try {
      const config = configText(gatesBody('healthy', 'interval: 30s\ncount: 2'), `prometheus:\n  url: ${recorder.url}\n  auth:\n    bearer: { env: PROM_TOKEN }\n`)
      const { result } = await runGates(stageContext(config, { PROM_TOKEN: token, GITHUB_ACTIONS: 'true' }), atLoopStart())
      expect(result.verdict).toBe('pass')
      expect(JSON.stringify(result)).not.toContain(token)
    } finally {
      process.stdout.write = write
      await recorder.close()
    }
    expect(writes.join('')).toContain(`::add-mask::${token}`)
    expect(recorder.requests[0]!.headers.authorization).toBe(`Bearer ${token}`)
  })

  it('does not print a mask command outside Actions, and refuses a missing secret as a setup error', async () => {
    const config = configText(gatesBody('healthy', 'interval: 30s\ncount: 1'), `prometheus:\n  url: ${prometheus.url}\n  auth:\n    bearer: { env: PROM_TOKEN }\n`)
    await expect(runGates(stageContext(config, {}), atLoopStart())).rejects.toThrow(new UsageError('bearer token: environment variable PROM_TOKEN is not set or empty'))
  })

  it('says which section is missing instead of querying nothing', async () => {
    await expect(runGates(stageContext(configText(gatesBody('healthy'))), atLoopStart())).rejects.toThrow(/\.release-gate\.yml: gates query Prometheus, but there is no prometheus: section/)
    const alertsOnly = configText('checks:\n  - { name: alerts, kind: alerts }', endpoints(prometheus.url))
    await expect(runGates(stageContext(alertsOnly), atLoopStart())).rejects.toThrow(/an alerts gate reads Alertmanager, but there is no alertmanager: section/)
  })

  it('rejects a template it cannot fill safely before the first query, with its position', async () => {
    const body = `variables: { service: 'a b' }\nchecks:\n  - { name: bad, kind: threshold, query: 'sum(rate(x[{{ service }}]))', max: 1 }`
    await expect(runGates(stageContext(configText(body, endpoints(prometheus.url))), atLoopStart())).rejects.toThrow(
      /\.release-gate\.yml gates\.checks\[0\]\.query:1:12: \{\{ service \}\}: outside a string literal only a number, a duration/
    )
  })

  it('skips when no gates are configured', async () => {
    expect((await runGates(stageContext(configText('checks: []', endpoints(prometheus.url))))).result).toMatchObject({ verdict: 'skipped', summary: 'no gates configured' })
  })
})

describe.skipIf(!haveBinaries)('faults reach the stage as inconclusive, never as a pass', () => {
  it('a Prometheus that answers 503 makes the gates inconclusive with a help text', async () => {
    const fault = await FaultServer.start({ fallback: { kind: 'respond', status: 503, body: '{"status":"error","errorType":"unavailable","error":"TSDB not ready"}' } })
    try {
      const body = gatesBody('healthy', 'interval: 30s\ncount: 3\nconsecutiveErrorLimit: 0')
      const { result } = await runGates(stageContext(configText(body, endpoints(fault.url))), atLoopStart())
      expect(result.verdict).toBe('inconclusive')
      expect(result.findings[0]).toMatchObject({ rule: 'gate:error-rate', severity: 'warning', help: expect.stringContaining('did not answer usably') })
      expect(result.findings[0]!.message).toMatch(/consecutive errors \(1\) > consecutiveErrorLimit \(0\): Prometheus POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: unavailable \(HTTP 503\): TSDB not ready \(after 4 attempts\)/)
    } finally {
      await fault.close()
    }
  })
})

describe('gate command options', () => {
  it('parses --from/--to as RFC 3339 or unix seconds and rejects anything else', () => {
    expect(parseTime('2024-01-01T00:00:00Z', '--from')).toBe(1_704_067_200)
    expect(parseTime('2024-01-01T01:00:00+01:00', '--from')).toBe(1_704_067_200)
    expect(parseTime('1704067200.5', '--to')).toBe(1_704_067_200.5)
    expect(() => parseTime('yesterday', '--from')).toThrow('--from: expected RFC 3339 (2024-01-01T12:00:00Z) or unix seconds, got "yesterday"')
  })

  it('needs --from for --to and a window that moves forward', async () => {
    const ctx = stageContext(configText('checks: []'))
    await expect(runGateCommand({ name: 'gate', to: '1704067200' }, ctx)).rejects.toThrow('--to needs --from')
    await expect(runGateCommand({ name: 'gate', from: '1704067200', to: '1704067100' }, ctx)).rejects.toThrow('--to (2023-12-31T23:58:20Z) must be after --from (2024-01-01T00:00:00Z)')
  })

  it('finds the line and column of every gate in the config file', () => {
    const ctx = stageContext(configText('checks:\n  - { name: a, kind: threshold, query: q, max: 1 }\n  -\n    name: b\n    kind: threshold\n    query: q\n    max: 1'))
    expect(gatePositions(`${ctx.dir}/${CONFIG_NAME}`)).toEqual([
      { line: 4, column: 7 },
      { line: 6, column: 7 }
    ])
    expect(gatePositions(`${ctx.dir}/missing.yml`)).toEqual([])
  })
})

describe.skipIf(!haveBinaries)('release-gate gate (CLI)', () => {
  it('exits 1 when an alert fires and 0 when none does, measuring now', async () => {
    const body = (ns: string) => `interval: 1s\ncount: 1\nchecks:\n  - { name: alerts, kind: alerts, matchers: ['namespace="${ns}"'] }`
    await postAlerts(alertmanager.url, [{ labels: { alertname: 'ShopOnFire', namespace: 'cli-burning' } }])
    const burning = stageContext(configText(body('cli-burning'), endpoints(prometheus.url, alertmanager.url)))
    const failed = await cli(['gate', '--format', 'json'], { cwd: burning.dir })
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.stdout).stages[0]).toMatchObject({ stage: 'gates', verdict: 'fail', summary: '1 gate(s) failed: alerts (gate alerts ended the run)' })
    const quiet = stageContext(configText(body('cli-quiet'), endpoints(prometheus.url, alertmanager.url)))
    expect(await cli(['gate'], { cwd: quiet.dir })).toMatchObject({ code: 0, stdout: expect.stringContaining('gates     PASS') })
  })

  it('exits 3 when the gates are inconclusive (a measurement now has no data)', async () => {
    const ctx = stageContext(configText(gatesBody('healthy', 'interval: 1s\ncount: 1'), endpoints(prometheus.url)))
    const run = await cli(['gate'], { cwd: ctx.dir })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('warning gate:error-rate')
  })

  it('backtests a window and prints when each gate would first have failed, exit 1', async () => {
    const ctx = stageContext(configText(gatesBody('p99-regression'), endpoints(prometheus.url)))
    const run = await cli(['gate', '--from', String(LOOP_START), '--to', String(END - 600)], { cwd: ctx.dir })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('backtest over 25m: fail; first failures: p99-latency at 2023-12-31T23:30:30Z')
    // Thirty seconds after the onset the 1m window is half regressed: +18%, already past +15%.
    expect(run.stdout).toContain('would first have failed at 2023-12-31T23:30:30Z (5m30s after --from): canary 0.5745 vs baseline 0.4868 (+18%) exceeds the allowed +15%')
    expect(run.stdout).toContain('window 2023-12-31T23:25:00Z → 2023-12-31T23:50:00Z: 51 step(s) every 30s')
    expect(run.stdout).toContain('never failed in the window')
  })
})
