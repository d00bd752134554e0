import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chaosMeshType } from '../../src/chaos/drivers/chaos-mesh.js'
import { KubeClient } from '../../src/kube/index.js'
import { cli } from '../cli/run.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { ADMIN_CONTEXT, createTestNamespace, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { PROMETHEUS_BINARIES, requireBinaries, startPrometheus, type ServerProcess } from '../infra/prometheus/harness.js'
import { labelledObjects, writeChaosConfig } from './support.js'

const kube = kubeTestCluster()
const hasPrometheus = requireBinaries(PROMETHEUS_BINARIES, 'chaos guard with a real Prometheus')

describe.skipIf(!kube.available || !hasPrometheus)('the SLO guard against a real Prometheus scraping live data', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let controller: ChaosMeshTestController
  let prometheus: ServerProcess
  let target: http.Server
  let errorRatio = 0.01

  beforeAll(async () => {
    // The service's own /metrics: a gauge the test moves, scraped every 250 ms.
    target = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE checkout_error_ratio gauge\ncheckout_error_ratio{service="checkout"} ${errorRatio}\n`))
    target.listen(0, '127.0.0.1')
    await once(target, 'listening')
    const port = (target.address() as AddressInfo).port
    prometheus = await startPrometheus({ config: `global:\n  scrape_interval: 250ms\n  scrape_timeout: 200ms\nscrape_configs:\n  - job_name: checkout\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` })
    ns = await createTestNamespace(cluster(), 'rg-guard')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    controller = new ChaosMeshTestController(admin, kubeConfigFor(cluster(), ADMIN_CONTEXT), ns, { pods: [{ namespace: ns, name: 'checkout-1', labels: { app: 'checkout' } }] })
  })

  afterAll(async () => {
    await controller?.stop()
    await prometheus?.stop()
    target?.closeAllConnections()
    await new Promise((resolve) => target?.close(resolve))
  })

  it('stops the experiment within about a scrape plus a guard interval of the SLI breaking', async () => {
    const dir = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: prometheus.url }, { guardQuery: 'max(checkout_error_ratio{service="checkout"})' })
    // Wait for the first scrape, so the guard measures data, not "no data".
    for (let tries = 0; ; tries++) {
      const answer = await fetch(`${prometheus.url}/api/v1/query?query=checkout_error_ratio`).then((r) => r.json() as Promise<{ data: { result: unknown[] } }>)
      if (answer.data.result.length > 0) break
      if (tries > 200) throw new Error('Prometheus never scraped the target')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    errorRatio = 0.01
    const running = cli(['chaos', 'run', '--experiment', 'net-delay-long', '--run-id', 'prom-guard', '--environment', 'staging', '--format', 'json'], { cwd: dir, env: { GITHUB_REF_NAME: 'main' } })
    for (;;) {
      const items = (await admin.list(chaosMeshType('NetworkChaos'), ns, { labelSelector: 'release-gate/run-id=prom-guard' })).items
      if (items.some((o) => ((o.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'AllInjected' && c.status === 'True'))) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const breakAt = Date.now()
    errorRatio = 0.42
    const run = await running
    const goneAfter = Date.now() - breakAt
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as { findings: { rule: string; message: string }[]; stages: { evidence: { experiments: { guard: { verdict: string }[]; breach: { goneMs: number } }[] } }[] }
    expect(report.findings[0]).toMatchObject({ rule: 'CHAOS_GUARD', message: expect.stringMatching(/error-rate: fail \(value 0\.420*, max 0\.050*\)/) })
    // Before the break the guard measured real passing data.
    expect(report.stages[0]!.evidence.experiments[0]!.guard.some((m) => m.verdict === 'pass')).toBe(true)
    expect(goneAfter).toBeLessThan(3_000)
    expect(await labelledObjects(admin, ns, 'prom-guard')).toEqual([])
    console.info(`[chaos] real Prometheus (scrape 250 ms, guard 200 ms): SLI broken → experiment gone in ${goneAfter} ms (${report.stages[0]!.evidence.experiments[0]!.breach.goneMs} ms after the failing measurement)`)
  })
})
