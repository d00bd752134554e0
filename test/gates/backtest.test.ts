import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backtestGates, backtestTimes } from '../../src/gates/backtest.js'
import { loopSettings, runLoop, virtualClock } from '../../src/gates/loop.js'
import { measureGate, type Measurement } from '../../src/gates/measure.js'
import { runBacktest } from '../../src/gates/stage.js'
import type { PrometheusClient } from '../../src/prometheus/client.js'
import { PROMETHEUS_BINARIES, requireBinaries, type ServerProcess } from '../infra/prometheus/harness.js'
import { configText, END, INTERVAL, LOOP_START, ONSET, Q, startScenarioPrometheus } from './fixture.js'
import { client, CONFIG_NAME, measureContext, preparedGates, removeTempConfigs, stageContext } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'gate backtest tests')

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
  removeTempConfigs()
})

/** Every kind the loop can meet, each reading the same scenario; limits high so no gate stops early. */
const everyKind = `interval: 30s
count: 20
failureLimit: 100
inconclusiveLimit: 100
checks:
  - name: error-rate
    kind: threshold
    query: '${Q.errorRatio()}'
    max: 0.01
    minSamples: { query: '${Q.requests()}', min: 100 }
  - name: p99
    kind: compare
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    maxIncrease: 0.15
  - name: orders
    kind: presence
    query: '${Q.orders}'
    min: 0
  - name: errors-vs-baseline
    kind: sequential
    canaryErrors: '${Q.errorsSince('canary')}'
    canaryTotal: '${Q.totalSince('canary')}'
    baselineErrors: '${Q.errorsSince('stable')}'
    baselineTotal: '${Q.totalSince('stable')}'
  - name: p99-distribution
    kind: mann-whitney
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    minSamplesPerSide: 5
  - name: alerts
    kind: alerts
    matchers: ['scenario="{{ scenario }}"']`

const strip = (m: Measurement) => ({ time: m.time, verdict: m.verdict, reason: m.reason, observed: m.observed, values: m.values, lookbackSeconds: m.lookbackSeconds })

describe('backtest schedule', () => {
  it('steps like the loop: from --from plus initialDelay, every interval, up to and including --to', () => {
    const settings = { intervalMs: 30_000, measurements: 10, initialDelayMs: 60_000, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccesses: 1 }
    expect(backtestTimes({ from: 1000, to: 1150 }, settings)).toEqual([1060, 1090, 1120, 1150])
    expect(backtestTimes({ from: 1000, to: 1050 }, settings)).toEqual([])
  })
})

describe.skipIf(!haveBinaries)('backtest against a real Prometheus', () => {
  it.each(['healthy', 'errors', 'p99-regression', 'events-stop', 'low-traffic'])(
    'judges every step exactly as the live loop measures it (%s)',
    async (scenario) => {
      const { gates, config } = preparedGates(everyKind)
      const settings = loopSettings(config.gates!)
      const live = await runLoop(
        gates.map((g) => ({ name: g.config.name, critical: false, prepared: g })),
        settings,
        (g, time, windowStart) => {
          // Live, an Alertmanager gate reads Alertmanager; the backtest reads ALERTS. Compare like with like.
          const prepared = g.prepared.config.kind === 'alerts' ? preparedGates(everyKind.replace("kind: alerts", "kind: alerts\n    source: prometheus")).gates[5]! : g.prepared
          return measureGate(prepared, time, measureContext(prom, scenario, windowStart))
        },
        { clock: virtualClock(LOOP_START * 1000) }
      )
      const replay = await backtestGates(config.gates!.checks, settings, { from: LOOP_START, to: LOOP_START + 19 * INTERVAL }, {
        prometheus: prom,
        variables: { scenario, runId: 'run-42' },
        intervalSeconds: INTERVAL,
        source: CONFIG_NAME
      })
      expect(replay.times).toHaveLength(20)
      for (const [i, gate] of live.gates.entries()) {
        expect(gate.measurements).toHaveLength(20)
        expect(replay.gates[i]!.steps.map(strip)).toEqual(gate.measurements.map(strip))
      }
      expect(replay.loop.verdict).toBe(live.verdict)
      expect(replay.loop.gates.map((g) => g.reason)).toEqual(live.gates.map((g) => g.reason))
    }
  )

  it('says when each gate would first have failed, and when the loop would have decided', async () => {
    const body = `interval: 30s
variables: { scenario: errors }
checks:
  - { name: error-rate, kind: threshold, query: '${Q.errorRatio()}', max: 0.01 }
  - { name: orders, kind: presence, query: '${Q.orders}', min: 0 }
  - { name: no-alerts, kind: alerts, matchers: ['scenario="errors"'] }`
    const ctx = stageContext(configText(body, `prometheus:\n  url: ${prometheus.url}\n`))
    const { result } = await runBacktest(ctx, { from: LOOP_START, to: END - 60 })
    expect(result.verdict).toBe('fail')
    expect(result.summary).toBe('backtest over 34m: fail; first failures: error-rate at 2023-12-31T23:30:00Z, no-alerts at 2023-12-31T23:31:00Z')
    expect(result.details).toEqual([
      'window 2023-12-31T23:25:00Z → 2023-12-31T23:59:00Z: 69 step(s) every 30s',
      'gate error-rate (threshold): fail — failed (1) > failureLimit (0): 0.01325 is above max 0.01',
      '  measurements: 10 pass, 1 fail, 0 inconclusive, 0 error; decided at 2023-12-31T23:30:00Z',
      '  would first have failed at 2023-12-31T23:30:00Z (5m after --from): 0.01325 is above max 0.01',
      'gate orders (presence): inconclusive — not finished: gate error-rate failed and ended the run after 11 measurement(s); 11 of 11 measurement(s) passed',
      '  measurements: 11 pass, 0 fail, 0 inconclusive, 0 error',
      '  never failed in the window',
      'gate no-alerts (alerts): inconclusive — not finished: gate error-rate failed and ended the run after 11 measurement(s); 11 of 11 measurement(s) passed',
      '  measurements: 11 pass, 0 fail, 0 inconclusive, 0 error',
      '  would first have failed at 2023-12-31T23:31:00Z (6m after --from): 1 alert(s) firing: CanaryErrorRate',
      `  read from Prometheus' ALERTS{alertstate="firing",scenario="errors"} series: Alertmanager keeps no history, and silences of the past are not known`
    ])
    // As live, the loop ends when error-rate fails; the others are reported as not judged to the end.
    expect(result.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
      ['gate:error-rate', 'error', 8],
      ['gate:orders', 'warning', 9],
      ['gate:no-alerts', 'warning', 10]
    ])
    // Evidence keeps every step of the window, also after the loop's decision.
    const evidence = result.evidence as { mode: string; gates: Array<{ measurements: unknown[] }> }
    expect(evidence.mode).toBe('backtest')
    expect(evidence.gates.map((g) => g.measurements.length)).toEqual([69, 69, 69])
    expect(ONSET).toBe(Date.parse('2023-12-31T23:30:00Z') / 1000)
  })

  it('splits a long window into range queries under the 11,000-point limit', async () => {
    const body = `interval: 300ms
variables: { scenario: healthy }
checks:
  - { name: error-rate, kind: threshold, query: '${Q.errorRatio()}', max: 0.01 }`
    const ctx = stageContext(configText(body, `prometheus:\n  url: ${prometheus.url}\n`))
    const { result } = await runBacktest(ctx, { from: END - 3_540, to: END - 1 })
    // 3539 s at 0.3 s: steps 0 … 11796, which takes two range queries.
    expect(result.summary).toBe('backtest over 58m59s: pass; no gate would have failed (all 1 gate(s) passed)')
    expect((result.evidence as { gates: Array<{ counts: Record<string, number> }> }).gates[0]!.counts).toEqual({ pass: 11_797, fail: 0, inconclusive: 0, error: 0 })
  })
})
