/**
 * What the loop makes of a Prometheus that dies, errs, hangs or talks nonsense: error
 * measurements, then inconclusive after consecutiveErrorLimit — never a pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopSettings, runLoop, virtualClock } from '../../src/gates/loop.js'
import { measureGate } from '../../src/gates/measure.js'
import { PrometheusClient } from '../../src/prometheus/client.js'
import { FaultServer, type FaultStep } from '../infra/prometheus/fault-server.js'
import { PROMETHEUS_BINARIES, requireBinaries, type ServerProcess } from '../infra/prometheus/harness.js'
import { INTERVAL, LOOP_START, ONSET, Q, startScenarioPrometheus } from './fixture.js'
import { FAST_RETRY, measureContext, preparedGates } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'gate fault tests')

const body = (schedule = 'interval: 30s\ncount: 8') => `${schedule}
checks:
  - name: error-rate
    kind: threshold
    query: '${Q.errorRatio()}'
    max: 0.01
  - name: orders
    kind: presence
    query: '${Q.orders}'
    min: 0`

async function loopVia(prometheus: PrometheusClient, schedule?: string, beforeRound?: (time: number) => Promise<void>) {
  const { gates, config } = preparedGates(body(schedule))
  return runLoop(
    gates.map((g) => ({ name: g.config.name, critical: false, prepared: g })),
    loopSettings(config.gates!),
    async (g, time, windowStart) => {
      await beforeRound?.(time)
      return measureGate(g.prepared, time, measureContext(prometheus, 'healthy', windowStart))
    },
    { clock: virtualClock(LOOP_START * 1000) }
  )
}

describe.skipIf(!haveBinaries)('Prometheus faults during a run', () => {
  let prometheus: ServerProcess
  beforeAll(async () => {
    prometheus = await startScenarioPrometheus()
  })
  afterAll(async () => {
    await prometheus?.stop()
  })

  it('Prometheus killed mid-run: network errors, inconclusive on the fifth in a row, never pass', async () => {
    const victim = await startScenarioPrometheus()
    const client = new PrometheusClient({ url: victim.url, retry: FAST_RETRY })
    let killed = false
    try {
      const result = await loopVia(client, 'interval: 30s\ncount: 20', async (time) => {
        if (time >= ONSET && !killed) {
          killed = true
          await victim.kill()
        }
      })
      expect(result.verdict).toBe('inconclusive')
      for (const gate of result.gates) {
        expect(gate.verdict).toBe('inconclusive')
        expect(gate.reason).toMatch(/^consecutive errors \(5\) > consecutiveErrorLimit \(4\): Prometheus POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: network error: .*ECONNREFUSED.* \(after 3 attempts\)$/)
        expect(gate.decidedAt).toBe(ONSET + 4 * INTERVAL)
        expect(gate.measurements.filter((m) => m.time < ONSET).every((m) => m.verdict === 'pass')).toBe(true)
        expect(gate.measurements.filter((m) => m.time >= ONSET).map((m) => m.errorKind)).toEqual(Array(5).fill('network'))
      }
    } finally {
      await client.close()
      await victim.stop()
    }
  })

  const faults: Array<{ name: string; step: FaultStep; kind: string; message: RegExp; timeoutMs?: number }> = [
    { name: 'HTTP 500 from a proxy', step: { kind: 'respond', status: 500, body: '<html>Internal Server Error</html>' }, kind: 'http', message: /HTTP 500: <html>Internal Server Error<\/html> \(after 3 attempts\)$/ },
    { name: 'HTTP 503 with errorType timeout', step: { kind: 'respond', status: 503, body: '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}' }, kind: 'timeout', message: /timeout \(HTTP 503\): query timed out in expression evaluation/ },
    { name: 'an answer slower than the timeout', step: { kind: 'hang' }, kind: 'timeout', message: /no complete answer within 150 ms$/, timeoutMs: 150 },
    { name: 'a body that stalls halfway', step: { kind: 'stallBody' }, kind: 'timeout', message: /no complete answer within 150 ms$/, timeoutMs: 150 },
    { name: 'a 200 that is not JSON', step: { kind: 'respond', status: 200, body: 'hello from the captive portal' }, kind: 'garbage', message: /answer is not JSON \(starts with "hello from the captive portal"\)$/ },
    { name: 'a 200 with the wrong shape', step: { kind: 'respond', status: 200, body: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"twelve"]}]}}' }, kind: 'garbage', message: /sample value is not a number: "twelve"$/ },
    { name: 'a reset connection', step: { kind: 'reset' }, kind: 'network', message: /network error: .*\(after 3 attempts\)$/ }
  ]

  it.each(faults)('$name → error measurements ($kind), then inconclusive; never pass', async ({ step, kind, message, timeoutMs }) => {
    const fault = await FaultServer.start({ fallback: step })
    const client = new PrometheusClient({ url: fault.url, retry: FAST_RETRY, ...(timeoutMs ? { timeoutMs } : {}) })
    try {
      const result = await loopVia(client)
      expect(result.verdict).toBe('inconclusive')
      for (const gate of result.gates) {
        expect(gate).toMatchObject({ verdict: 'inconclusive', counts: { pass: 0, fail: 0, inconclusive: 0, error: 5 } })
        expect(gate.measurements.every((m) => m.verdict === 'error' && m.errorKind === kind)).toBe(true)
        expect(gate.reason).toMatch(message)
      }
    } finally {
      await client.close()
      await fault.close()
    }
  })

  it('recovers when errors stay under the limit: three 503s, then real answers, pass', async () => {
    const fault = await FaultServer.start({ target: prometheus.url })
    const unavailable: FaultStep = { kind: 'respond', status: 503, body: '{"status":"error","errorType":"unavailable","error":"not ready"}' }
    // Two gates ask once per round each, without retries: the first three rounds fail.
    fault.script(...Array(6).fill(unavailable))
    const client = new PrometheusClient({ url: fault.url, retry: { retries: 0 } })
    try {
      const result = await loopVia(client, 'interval: 30s\ncount: 8\nconsecutiveSuccesses: 3')
      expect(result.verdict).toBe('pass')
      expect(result.gates.map((g) => g.counts)).toEqual([
        { pass: 5, fail: 0, inconclusive: 0, error: 3 },
        { pass: 5, fail: 0, inconclusive: 0, error: 3 }
      ])
    } finally {
      await client.close()
      await fault.close()
    }
  })

  it('errors at the end of the schedule leave the gate inconclusive even under a lenient error limit', async () => {
    const fault = await FaultServer.start({ target: prometheus.url })
    const client = new PrometheusClient({ url: fault.url, retry: { retries: 0 } })
    try {
      let scripted = false
      // The last round (both gates) meets a gateway error.
      const result = await loopVia(client, 'interval: 30s\ncount: 4\nconsecutiveErrorLimit: 100', async (time) => {
        if (time !== LOOP_START + 3 * INTERVAL || scripted) return
        scripted = true
        fault.script({ kind: 'respond', status: 502, body: 'bad gateway' }, { kind: 'respond', status: 502, body: 'bad gateway' })
      })
      expect(result.verdict).toBe('inconclusive')
      expect(result.gates[0]!.reason).toMatch(/^ended with 0 passing measurement\(s\) in a row, 1 needed; last was error: .*HTTP 502: bad gateway$/)
    } finally {
      await client.close()
      await fault.close()
    }
  })
})
