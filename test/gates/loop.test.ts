import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { GateTracker, loopSettings, overallVerdict, runLoop, systemClock, virtualClock, type LoopSettings } from '../../src/gates/loop.js'
import { measureGate, type Measurement } from '../../src/gates/measure.js'
import type { PrometheusClient } from '../../src/prometheus/client.js'
import { PROMETHEUS_BINARIES, requireBinaries, type ServerProcess } from '../infra/prometheus/harness.js'
import { configText, INTERVAL, LOOP_START, ONSET, Q, startScenarioPrometheus } from './fixture.js'
import { client, measureContext, preparedGates } from './support.js'

const settings = (over: Partial<LoopSettings> = {}): LoopSettings => ({
  intervalMs: 30_000,
  measurements: 10,
  initialDelayMs: 0,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccesses: 1,
  ...over
})

type Verdict = Measurement['verdict']
const V: Record<string, Verdict | 'nodata-pass'> = { P: 'pass', F: 'fail', I: 'inconclusive', E: 'error', N: 'nodata-pass' }

/** A measure function that plays a script per gate: "PPFE" = pass, pass, fail, error… */
function scripted(scripts: Record<string, string>) {
  const calls: Array<{ gate: string; time: number }> = []
  const measure = async (gate: { name: string }, time: number): Promise<Measurement> => {
    const round = calls.filter((c) => c.gate === gate.name).length
    calls.push({ gate: gate.name, time })
    const code = V[scripts[gate.name]![round] ?? 'P']!
    const verdict: Verdict = code === 'nodata-pass' ? 'pass' : code
    return { gate: gate.name, time, verdict, reason: `${verdict} #${round + 1}`, observed: {}, values: {}, lookbackSeconds: INTERVAL, ...(code === 'nodata-pass' ? { noData: true } : {}) }
  }
  return { measure, calls }
}

const gate = (name: string, critical = false) => ({ name, critical })
const T0 = 1_700_000_000_000

async function play(scripts: Record<string, string>, over: Partial<LoopSettings> = {}, critical: string[] = []) {
  const { measure, calls } = scripted(scripts)
  const result = await runLoop(
    Object.keys(scripts).map((n) => gate(n, critical.includes(n))),
    settings(over),
    measure,
    { clock: virtualClock(T0) }
  )
  return { result, calls }
}

describe('the loop knobs (scripted measurements, virtual clock)', () => {
  it('measures count times, every interval after initialDelay, at exact times', async () => {
    const { result, calls } = await play({ a: 'PPPP' }, { measurements: 4, initialDelayMs: 60_000 })
    expect(calls.map((c) => c.time - T0 / 1000)).toEqual([60, 90, 120, 150])
    expect(result).toMatchObject({ verdict: 'pass', reason: 'all 1 gate(s) passed', interrupted: false, startedAt: T0 / 1000, endedAt: T0 / 1000 + 150 })
  })

  it('derives the number of measurements from duration ÷ interval, else count', () => {
    const gates = (body: string) => parseConfig(configText(`${body}\nchecks: []`), 'x.yml').gates!
    expect(loopSettings(gates('interval: 30s\nduration: 5m')).measurements).toBe(10)
    expect(loopSettings(gates('interval: 1m\ncount: 3')).measurements).toBe(3)
    expect(loopSettings(gates('interval: 1m\nduration: 30s')).measurements).toBe(1)
    expect(() => loopSettings(gates('interval: 0s'))).toThrow('gates.interval must be longer than 0s, got 0s')
    expect(loopSettings(gates('interval: 10s'))).toMatchObject({ intervalMs: 10_000, measurements: 10, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccesses: 1 })
  })

  it('failureLimit 0: the first failed measurement fails the gate (Argo: failed > failureLimit)', async () => {
    const { result } = await play({ a: 'PPFPPP' })
    expect(result.gates[0]).toMatchObject({ verdict: 'fail', reason: 'failed (1) > failureLimit (0): fail #3', decidedAt: T0 / 1000 + 60, firstFailureAt: T0 / 1000 + 60 })
    expect(result.verdict).toBe('fail')
  })

  it('failureLimit 2 tolerates two failures and fails on the third', async () => {
    expect((await play({ a: 'FPFPPPPPPP' }, { failureLimit: 2 })).result.gates[0]!.verdict).toBe('pass')
    const { result } = await play({ a: 'FPFPFPPPPP' }, { failureLimit: 2 })
    expect(result.gates[0]).toMatchObject({ verdict: 'fail', reason: 'failed (3) > failureLimit (2): fail #5', counts: { pass: 2, fail: 3, inconclusive: 0, error: 0 } })
  })

  it('inconclusiveLimit counts inconclusive measurements the same way', async () => {
    expect((await play({ a: 'IPPP' }, { measurements: 4 })).result.gates[0]).toMatchObject({ verdict: 'inconclusive', reason: 'inconclusive (1) > inconclusiveLimit (0): inconclusive #1' })
    expect((await play({ a: 'IPIP' }, { measurements: 4, inconclusiveLimit: 2 })).result.gates[0]!.verdict).toBe('pass')
  })

  it('consecutiveErrorLimit 4: the fifth error in a row makes the gate inconclusive, never failed or passed', async () => {
    const { result } = await play({ a: 'PEEEEEPPPP' })
    expect(result.gates[0]).toMatchObject({ verdict: 'inconclusive', reason: 'consecutive errors (5) > consecutiveErrorLimit (4): error #6', decidedAt: T0 / 1000 + 150 })
    // Errors that are not in a row only break the streak.
    expect((await play({ a: 'EEEEPEEEEP' })).result.gates[0]!.verdict).toBe('pass')
  })

  it('errors and inconclusive measurements never promote: the run must end on enough passes in a row', async () => {
    const lastError = await play({ a: 'PPPPE' }, { measurements: 5 })
    expect(lastError.result.gates[0]).toMatchObject({ verdict: 'inconclusive', reason: 'ended with 0 passing measurement(s) in a row, 1 needed; last was error: error #5' })
    const streak = await play({ a: 'PPFPP' }, { measurements: 5, failureLimit: 1, consecutiveSuccesses: 3 })
    expect(streak.result.gates[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringContaining('ended with 2 passing measurement(s) in a row, 3 needed') })
    const enough = await play({ a: 'FPPPP' }, { measurements: 5, failureLimit: 1, consecutiveSuccesses: 3 })
    expect(enough.result.gates[0]).toMatchObject({ verdict: 'pass', reason: '4 of 5 measurement(s) passed; last: pass #5' })
  })

  it('any failed gate ends the run at once; an inconclusive one does only when it is critical', async () => {
    const failed = await play({ a: 'PPF', b: 'PPPPPPPPPP' })
    expect(failed.result).toMatchObject({ verdict: 'fail', endedBy: 'a', reason: '1 gate(s) failed: a (gate a ended the run)' })
    expect(failed.calls.filter((c) => c.gate === 'b')).toHaveLength(3)
    expect(failed.result.gates[1]).toMatchObject({
      verdict: 'inconclusive',
      reason: 'not finished: gate a failed and ended the run after 3 measurement(s); 3 of 3 measurement(s) passed'
    })

    const critical = await play({ a: 'PI', b: 'PPPPPPPPPP' }, {}, ['a'])
    expect(critical.result).toMatchObject({ verdict: 'inconclusive', endedBy: 'a', reason: '2 gate(s) inconclusive: a, b (critical gate a ended the run)' })
    expect(critical.calls.filter((c) => c.gate === 'b')).toHaveLength(2)
    expect(critical.result.gates[1]!.reason).toMatch(/^not finished: gate a was inconclusive \(critical\) and ended the run after 2 measurement\(s\)/)

    // A plain inconclusive gate leaves the others measuring: one of them may still fail, which aborts instead of holding.
    const plain = await play({ a: 'PI', b: 'PPPPPPPPPF' }, { consecutiveSuccesses: 1 })
    expect(plain.calls.filter((c) => c.gate === 'b')).toHaveLength(10)
    expect(plain.result).toMatchObject({ verdict: 'fail', endedBy: 'b', reason: '1 gate(s) failed: b (gate b ended the run)' })
  })

  it('the worst gate decides: fail over inconclusive over pass', async () => {
    expect((await play({ a: 'PPPP', b: 'IPPP' }, { measurements: 4 })).result).toMatchObject({ verdict: 'inconclusive', reason: '1 gate(s) inconclusive: b' })
    expect((await play({ a: 'PPPF', b: 'IPPP' }, { measurements: 4 })).result.verdict).toBe('fail')
  })

  it('stops early when every gate is decided', async () => {
    const { calls, result } = await play({ a: 'I', b: 'PF' })
    expect(calls).toHaveLength(3)
    expect(result.endedAt).toBe(T0 / 1000 + 30)
  })

  it('a pass that rests only on noData never promotes on its own', async () => {
    expect((await play({ a: 'NNNN' }, { measurements: 4 })).result).toMatchObject({ verdict: 'inconclusive', reason: expect.stringContaining('passed only because it had no data') })
    // Next to a gate that saw data, a noData pass is allowed to pass.
    expect((await play({ a: 'NNNN', b: 'PPPP' }, { measurements: 4 })).result.verdict).toBe('pass')
    expect(overallVerdict([])).toEqual({ verdict: 'inconclusive', reason: 'no gates to evaluate' })
  })

  it('an abort signal ends the run as interrupted; undecided gates are inconclusive', async () => {
    const controller = new AbortController()
    const { measure } = scripted({ a: 'PPPPPPPPPP', b: 'PPPPPPPPPP' })
    let rounds = 0
    const result = await runLoop([gate('a'), gate('b')], settings(), measure, {
      clock: virtualClock(T0),
      signal: controller.signal,
      onRound: () => {
        if (++rounds === 3) controller.abort()
      }
    })
    expect(result).toMatchObject({ verdict: 'inconclusive', interrupted: true, reason: 'interrupted; 2 gate(s) inconclusive: a, b' })
    expect(result.gates[0]).toMatchObject({ verdict: 'inconclusive', reason: 'interrupted after 3 measurement(s); 3 of 3 measurement(s) passed' })
    expect(result.endedBy).toBeUndefined()
  })

  it('the tracker refuses measurements after its decision', () => {
    const tracker = new GateTracker(gate('a'), settings())
    tracker.record({ gate: 'a', time: 1, verdict: 'fail', reason: 'x', observed: {}, values: {}, lookbackSeconds: 30 })
    expect(() => tracker.record({ gate: 'a', time: 2, verdict: 'pass', reason: 'x', observed: {}, values: {}, lookbackSeconds: 30 })).toThrow('already decided')
  })
})

describe('the loop in real time', () => {
  it('sleeps between rounds with the system clock and stops promptly on abort', async () => {
    const controller = new AbortController()
    const { measure, calls } = scripted({ a: 'P'.repeat(100) })
    const started = Date.now()
    setTimeout(() => controller.abort(), 250)
    const result = await runLoop([gate('a')], settings({ intervalMs: 100, measurements: 100 }), measure, { signal: controller.signal })
    const took = Date.now() - started
    expect(result).toMatchObject({ verdict: 'inconclusive', interrupted: true })
    // Rounds at 0, 100, 200 ms before the abort at 250 ms; slack for a busy machine.
    expect(calls.length).toBeGreaterThanOrEqual(2)
    expect(calls.length).toBeLessThanOrEqual(6)
    expect(took).toBeLessThan(2_000)
    // Round times are the schedule, 100 ms apart.
    expect(calls[1]!.time - calls[0]!.time).toBeCloseTo(0.1, 6)
  })

  it('systemClock.sleep resolves at once for an aborted signal', async () => {
    const started = Date.now()
    await systemClock.sleep(10_000, AbortSignal.abort())
    expect(Date.now() - started).toBeLessThan(50)
  })
})

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'gate loop tests')

describe.skipIf(!haveBinaries)('the loop over backfilled scenarios in a real Prometheus', () => {
  let prometheus: ServerProcess
  let prom: PrometheusClient
  beforeAll(async () => {
    prometheus = await startScenarioPrometheus()
    prom = client(prometheus.url)
  })
  afterAll(async () => {
    await prom?.close()
    await prometheus?.stop()
  })

  const body = `interval: 30s
count: 20
consecutiveSuccesses: 2
checks:
  - name: error-rate
    kind: threshold
    critical: true
    query: '${Q.errorRatio()}'
    max: 0.01
    minSamples: { query: '${Q.requests()}', min: 100 }
  - name: p99
    kind: compare
    canary: '${Q.p99('canary')}'
    baseline: '${Q.p99('stable')}'
    maxIncrease: 0.15
    minSamples: { query: '${Q.requests()}', min: 100 }
  - name: orders
    kind: presence
    query: '${Q.orders}'
    min: 0
    minSamples: { query: '${Q.requests()}', min: 100 }`

  async function loopOver(scenario: string) {
    const { gates, config } = preparedGates(body)
    return runLoop(
      gates.map((g) => ({ name: g.config.name, critical: g.config.critical, prepared: g })),
      loopSettings(config.gates!),
      (g, time, windowStart) => measureGate(g.prepared, time, measureContext(prom, scenario, windowStart)),
      { clock: virtualClock(LOOP_START * 1000) }
    )
  }

  it('passes the healthy canary after all 20 rounds', async () => {
    const result = await loopOver('healthy')
    expect(result.verdict).toBe('pass')
    expect(result.gates.map((g) => g.counts.pass)).toEqual([20, 20, 20])
    expect(result.endedAt).toBe(LOOP_START + 19 * INTERVAL)
  })

  it('ends at once when the critical error-rate gate fails, within two rounds of the onset', async () => {
    const result = await loopOver('errors')
    expect(result).toMatchObject({ verdict: 'fail', endedBy: 'error-rate' })
    const decidedAt = result.gates[0]!.decidedAt!
    expect(decidedAt).toBeGreaterThanOrEqual(ONSET)
    expect(decidedAt - ONSET).toBeLessThanOrEqual(2 * INTERVAL)
    expect(result.gates[0]!.measurements.filter((m) => m.time < ONSET).every((m) => m.verdict === 'pass')).toBe(true)
  })

  it('ends at once when the non-critical p99 gate fails: the abort does not wait for the other gates', async () => {
    const result = await loopOver('p99-regression')
    expect(result).toMatchObject({ verdict: 'fail', endedBy: 'p99' })
    expect(result.gates[1]).toMatchObject({ gate: 'p99', verdict: 'fail' })
    const decidedAt = result.gates[1]!.decidedAt!
    expect(decidedAt - ONSET).toBeLessThanOrEqual(2 * INTERVAL)
    expect(result.endedAt).toBe(decidedAt)
    expect(result.gates[0]!.measurements.at(-1)!.time).toBe(decidedAt)
  })

  it('calls low traffic inconclusive, not failed', async () => {
    const result = await loopOver('low-traffic')
    expect(result.verdict).toBe('inconclusive')
    expect(result.gates.every((g) => g.verdict === 'inconclusive' && g.counts.fail === 0)).toBe(true)
  })

  it('calls a canary whose traffic stops (NaN) inconclusive through minSamples, and one that never reported inconclusive', async () => {
    const stopped = await loopOver('no-traffic')
    expect(stopped.verdict).toBe('inconclusive')
    expect(stopped.gates[0]!.measurements.at(-1)!.reason).toContain('below the minimum 100')
    const absent = await loopOver('absent')
    expect(absent.verdict).toBe('inconclusive')
  })
})
