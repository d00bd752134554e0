/**
 * Chaos guard benchmark: how soon after an SLO breach becomes visible in Prometheus the experiment is
 * gone, against the target of one guard interval + 1 s.
 *
 *   npm run bench:chaos -- [--runs 10] [--interval 1s] [--baseline-runs 2] [--json FILE]
 *
 * Everything is real except the Chaos Mesh controller, which this process plays (test/controllers):
 * a kube-apiserver with etcd and the upstream CRDs, a Prometheus scraping the service's gauge every
 * 500 ms, and `node dist/cli.js chaos run` as a user runs it. Each run waits until the fault is
 * injected, waits a random part of a guard interval (so breaches fall anywhere in the guard's
 * cycle), breaks the SLI, then records when Prometheus first answers the bad value and when the
 * NetworkChaos is deleted. The baseline runs the same experiment the way chaos-mesh-action does:
 * apply the manifest and leave it, with no guard, so the fault lasts until its own duration ends.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CoreV1Api } from '@kubernetes/client-node'
import { chaosMeshType } from '../../src/chaos/drivers/chaos-mesh.js'
import { parseDuration } from '../../src/config/duration.js'
import { KubeClient } from '../../src/kube/index.js'
import { ChaosMeshTestController } from '../../test/controllers/chaos-mesh.js'
import { ADMIN_CONTEXT, startCluster } from '../../test/infra/kube/cluster.js'
import { serveMetrics } from '../../test/infra/prometheus/exporter.js'
import { startPrometheus } from '../../test/infra/prometheus/harness.js'
import { kubeConfigFor } from '../../test/infra/kube/test-cluster.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '10' }, interval: { type: 'string', default: '1s' }, 'baseline-runs': { type: 'string', default: '2' }, json: { type: 'string' } } })
const runs = Number(args.runs)
const intervalMs = parseDuration(args.interval!)
const baselineRuns = Number(args['baseline-runs'])
const NS = 'bench-chaos'
const SCRAPE_MS = 500
const DURATION = '20s'
const NETWORK_CHAOS = chaosMeshType('NetworkChaos')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!

let errorRatio = 0.01
const target = await serveMetrics(() => `# TYPE checkout_error_ratio gauge\ncheckout_error_ratio{service="checkout"} ${errorRatio}\n`)

console.error('[bench:chaos] starting kube-apiserver, etcd and Prometheus …')
const cluster = await startCluster()
const prometheus = await startPrometheus({
  config: target.scrapeConfig('checkout', `${SCRAPE_MS}ms`)
})
const kubeConfig = kubeConfigFor({ kubeconfigPath: cluster.kubeconfigPath }, ADMIN_CONTEXT)
await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } })
const admin = KubeClient.load({ kubeconfigPath: cluster.kubeconfigPath, context: ADMIN_CONTEXT })
const controller = new ChaosMeshTestController(admin, kubeConfig, NS, { pods: [{ namespace: NS, name: 'checkout-1', labels: { app: 'checkout' } }] })

const dir = mkdtempSync(path.join(tmpdir(), 'rg-bench-chaos-'))
writeFileSync(path.join(dir, 'delay.yaml'), JSON.stringify({
  apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: { name: 'checkout-delay', namespace: NS },
  spec: { action: 'delay', mode: 'one', selector: { namespaces: [NS], labelSelectors: { app: 'checkout' } }, delay: { latency: '100ms' }, duration: DURATION }
}))
writeFileSync(path.join(dir, '.release-gate.yml'), `version: 1
environments:
  staging:
    kubeconfig: ${JSON.stringify(cluster.kubeconfigPath)}
    kubeContext: ${ADMIN_CONTEXT}
prometheus:
  url: ${prometheus.url}
gates:
  checks:
    - { name: error-rate, kind: threshold, query: 'max(checkout_error_ratio{service="checkout"})', max: 0.05 }
chaos:
  admission:
    staging: { kinds: [NetworkChaos], namespaces: [${NS}], maxPods: 1, maxDuration: 1m }
  experiments:
    - { name: delay, driver: chaos-mesh, manifest: delay.yaml, duration: ${DURATION}, guard: [error-rate], guardInterval: ${args.interval} }
`)

async function prometheusValue(): Promise<number | undefined> {
  const body = new URLSearchParams({ query: 'max(checkout_error_ratio{service="checkout"})' })
  const answer = (await (await fetch(`${prometheus.url}/api/v1/query`, { method: 'POST', body })).json()) as { data: { result: { value: [number, string] }[] } }
  const value = answer.data.result[0]?.value[1]
  return value === undefined ? undefined : Number(value)
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

const injected = (runId: string) => async () => {
  const items = (await admin.list(NETWORK_CHAOS, NS, { labelSelector: `release-gate/run-id=${runId}` })).items
  return items.find((o) => ((o.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'AllInjected' && c.status === 'True'))
}
const gone = (runId: string) => async () => ((await admin.list(NETWORK_CHAOS, NS, { labelSelector: `release-gate/run-id=${runId}` })).items.length === 0 ? Date.now() : undefined)

function cli(runId: string): Promise<number> {
  const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'chaos', 'run', '--run-id', runId, '--environment', 'staging', '--format', 'json'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_REF_NAME: 'main' }, stdio: 'ignore' })
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)))
}

await waitFor(prometheusValue, 30_000, 'the first scrape')
interface Sample { visibleAfterBreakMs: number; goneAfterVisibleMs: number; exitCode: number }
const samples: Sample[] = []
for (let i = 0; i < runs; i++) {
  errorRatio = 0.01
  await waitFor(async () => ((await prometheusValue()) === 0.01 ? true : undefined), 10_000, 'a healthy SLI')
  const runId = `bench-${i}`
  const exit = cli(runId)
  await waitFor(injected(runId), 20_000, 'injection')
  await sleep(Math.random() * intervalMs)
  errorRatio = 0.42
  const brokenAt = Date.now()
  const visibleAt = await waitFor(async () => ((await prometheusValue()) === 0.42 ? Date.now() : undefined), 10_000, 'the breach in Prometheus')
  const goneAt = await waitFor(gone(runId), 20_000, 'the experiment to be gone')
  const sample = { visibleAfterBreakMs: visibleAt - brokenAt, goneAfterVisibleMs: goneAt - visibleAt, exitCode: await exit }
  samples.push(sample)
  console.error(`[bench:chaos] run ${i + 1}/${runs}: visible ${sample.visibleAfterBreakMs} ms after the break, gone ${sample.goneAfterVisibleMs} ms after visible (exit ${sample.exitCode})`)
}

// The baseline: apply and leave, as chaos-mesh-action does. The fault ends with its duration.
const baseline: number[] = []
for (let i = 0; i < baselineRuns; i++) {
  errorRatio = 0.01
  const runId = `baseline-${i}`
  const manifest = { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: { name: `baseline-${i}`, namespace: NS, labels: { 'release-gate/run-id': runId } },
    spec: { action: 'delay', mode: 'one', selector: { namespaces: [NS], labelSelectors: { app: 'checkout' } }, delay: { latency: '100ms' }, duration: DURATION } }
  await admin.create(NETWORK_CHAOS, NS, manifest)
  await waitFor(injected(runId), 20_000, 'injection')
  await sleep(Math.random() * intervalMs)
  errorRatio = 0.42
  const brokenAt = Date.now()
  const visibleAt = await waitFor(async () => ((await prometheusValue()) === 0.42 ? Date.now() : undefined), 10_000, 'the breach in Prometheus')
  // Nothing stops it: the fault is over when the controller recovers it at the end of its duration.
  const recoveredAt = await waitFor(async () => {
    const object = await admin.get(NETWORK_CHAOS, NS, `baseline-${i}`)
    return ((object.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'AllRecovered' && c.status === 'True') ? Date.now() : undefined
  }, 60_000, 'the end of the duration')
  baseline.push(recoveredAt - visibleAt)
  console.error(`[bench:chaos] baseline ${i + 1}/${baselineRuns}: visible ${visibleAt - brokenAt} ms after the break, fault over ${recoveredAt - visibleAt} ms after visible`)
  await admin.delete(NETWORK_CHAOS, NS, `baseline-${i}`)
  await waitFor(gone(runId), 20_000, 'the baseline object to be gone')
}

await controller.stop()
await prometheus.stop()
await cluster.stop()
await target.close()

const targetMs = intervalMs + 1_000
const gones = samples.map((s) => s.goneAfterVisibleMs)
const within = gones.filter((ms) => ms <= targetMs).length
const median = quantile(gones, 0.5)
const baselineMedian = baseline.length ? quantile(baseline, 0.5) : undefined
console.log(`\nchaos guard: guard interval ${args.interval}, Prometheus scrape ${SCRAPE_MS} ms, experiment duration ${DURATION}, ${runs} runs`)
console.log('| measure | median | p90 | max | target | within target |')
console.log('| --- | --- | --- | --- | --- | --- |')
console.log(`| breach visible in Prometheus → experiment gone | ${median} ms | ${quantile(gones, 0.9)} ms | ${Math.max(...gones)} ms | ≤ ${targetMs} ms (interval + 1 s) | ${within}/${runs} |`)
console.log(`| SLI broken → visible in Prometheus (scrape) | ${quantile(samples.map((s) => s.visibleAfterBreakMs), 0.5)} ms | ${quantile(samples.map((s) => s.visibleAfterBreakMs), 0.9)} ms | ${Math.max(...samples.map((s) => s.visibleAfterBreakMs))} ms | | |`)
if (baselineMedian !== undefined)
  console.log(`\nno-guard baseline (apply and leave, as chaos-mesh-action): fault over a median ${baselineMedian} ms after the breach was visible (${baseline.length} runs); release-gate / baseline = ${(median / baselineMedian).toFixed(3)}×`)
console.log(`runs whose CLI exit code was not 1 (a guard breach fails the run): ${samples.filter((s) => s.exitCode !== 1).length}`)
if (args.json) writeFileSync(args.json, JSON.stringify({ intervalMs, scrapeMs: SCRAPE_MS, samples, baseline }, null, 2))
process.exitCode = within === runs && samples.every((s) => s.exitCode === 1) ? 0 : 1
