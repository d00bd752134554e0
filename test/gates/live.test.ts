/**
 * End to end in real time: a small exporter scraped every second by a real Prometheus, the gates
 * stage on the system clock, and the canary turning bad mid-run. Kept to a few seconds.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runGates } from '../../src/gates/stage.js'
import { PROMETHEUS_BINARIES, requireBinaries, startPrometheus, type ServerProcess } from '../infra/prometheus/harness.js'
import { configText } from './fixture.js'
import { removeTempConfigs, stageContext } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'live gate tests')

/** Counters that grow with wall time: 200 requests a second, a settable share of them failing. */
class Exporter {
  errorShare = 0.001
  private ok = 0
  private failed = 0
  private last = Date.now()
  private constructor(readonly server: http.Server) {}

  static async start(): Promise<Exporter> {
    const server = http.createServer()
    const exporter = new Exporter(server)
    server.on('request', (_req, res) => {
      exporter.advance()
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end(`# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${exporter.ok}\nhttp_requests_total{code="500"} ${exporter.failed}\n`)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return exporter
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  /** Turns the canary bad from now on; the time it took effect. */
  degrade(share: number): number {
    this.advance()
    this.errorShare = share
    return Date.now() / 1000
  }

  private advance(): void {
    const now = Date.now()
    const requests = ((now - this.last) / 1000) * 200
    this.last = now
    this.failed += requests * this.errorShare
    this.ok += requests * (1 - this.errorShare)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    this.server.close()
    await once(this.server, 'close')
  }
}

describe.skipIf(!haveBinaries)('the gates stage in real time against a live scrape', () => {
  let exporter: Exporter
  let prometheus: ServerProcess
  beforeAll(async () => {
    exporter = await Exporter.start()
    prometheus = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: canary\n    static_configs:\n      - targets: ['127.0.0.1:${exporter.port}']\n`
    })
    // Prometheus hands new targets to the scraper at most every 5 s: wait until a rate exists.
    const deadline = Date.now() + 20_000
    for (;;) {
      const body = new URLSearchParams({ query: 'sum(rate(http_requests_total{job="canary"}[5s]))' })
      const answer = (await (await fetch(`${prometheus.url}/api/v1/query`, { method: 'POST', body })).json()) as { data: { result: unknown[] } }
      if (answer.data.result.length > 0) break
      if (Date.now() > deadline) throw new Error(`the exporter was not scraped within 20 s:\n${prometheus.log()}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }, 30_000)
  afterAll(async () => {
    await prometheus?.stop()
    await exporter?.close()
    removeTempConfigs()
  })

  const errorRatio = 'sum(rate(http_requests_total{job="canary",code="500"}[5s])) / sum(rate(http_requests_total{job="canary"}[5s]))'
  const config = (schedule: string, query = errorRatio, max = 0.01) =>
    configText(
      `${schedule}
checks:
  - name: error-rate
    kind: threshold
    critical: true
    query: '${query}'
    max: ${max}`,
      `prometheus:\n  url: ${prometheus.url}\n  timeout: 2s\n`
    )

  it('fails within a few seconds of the canary turning bad, after passing while it was healthy', async () => {
    const ctx = stageContext(config('interval: 1s\ncount: 10\ninitialDelay: 1s'))
    let degradedAt = 0
    const timer = setTimeout(() => (degradedAt = exporter.degrade(0.05)), 3_500)
    try {
      const { result } = await runGates(ctx)
      expect(result.verdict).toBe('fail')
      const gate = (result.evidence as { gates: Array<{ decidedAt: string; measurements: Array<{ time: string; verdict: string }> }> }).gates[0]!
      const decidedAt = Date.parse(gate.decidedAt) / 1000
      expect(degradedAt).toBeGreaterThan(0)
      expect(decidedAt - degradedAt).toBeGreaterThan(0)
      // rate() over 5 s scraped every 1 s crosses 1% within about two scrapes; rounds are 1 s apart.
      expect(decidedAt - degradedAt).toBeLessThanOrEqual(5)
      const beforeDegrading = gate.measurements.filter((m) => Date.parse(m.time) / 1000 < degradedAt)
      expect(beforeDegrading.length).toBeGreaterThanOrEqual(2)
      expect(beforeDegrading.at(-1)!.verdict).toBe('pass')
    } finally {
      clearTimeout(timer)
      exporter.errorShare = 0.001
    }
  }, 30_000)

  it('stops on SIGINT mid-run: inconclusive and marked interrupted, well before the schedule ends', async () => {
    // A gate that keeps passing (any request rate), so only the interrupt can end the run early.
    const ctx = stageContext(config('interval: 200ms\ncount: 100', 'sum(rate(http_requests_total{job="canary"}[5s]))', 1e9))
    const started = Date.now()
    const timer = setTimeout(() => process.emit('SIGINT'), 700)
    try {
      const { result } = await runGates(ctx)
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(result.verdict).toBe('inconclusive')
      expect(result.summary).toBe('interrupted; 1 gate(s) inconclusive: error-rate')
      expect(result.findings[0]!.message).toMatch(/^gate error-rate is inconclusive: interrupted after \d measurement\(s\)/)
      // The handler is gone afterwards: nothing keeps the process from its normal SIGINT.
      expect(process.listenerCount('SIGINT')).toBe(0)
    } finally {
      clearTimeout(timer)
    }
  })
})
