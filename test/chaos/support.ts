/**
 * What the chaos tests share: a Prometheus-compatible fixture for the guard (its /api/v1/query answers
 * one series whose value the test sets), and a config folder with manifests for every scenario.
 */
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { KubeClient } from '../../src/kube/index.js'
import { RUN_ID_LABEL, chaosMeshDriver, litmusDriver } from '../../src/chaos/drivers/index.js'
import { OUTCOME_ANNOTATION } from '../controllers/litmus.js'

/**
 * Answers instant queries like Prometheus does (POST form or GET, `{"status":"success","data":{"resultType":
 * "vector",...}}`) with the current value; records when each value was first served.
 */
export class SliFixture {
  value = 0.01
  queries = 0
  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<SliFixture> {
    const server = http.createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const fixture = new SliFixture(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    server.on('request', (req, res) => {
      req.resume()
      req.on('end', () => {
        if (!req.url?.startsWith('/api/v1/query')) {
          res.writeHead(404).end()
          return
        }
        fixture.queries++
        const body = { status: 'success', data: { resultType: 'vector', result: [{ metric: { service: 'checkout' }, value: [Date.now() / 1000, String(fixture.value)] }] } }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
    })
    return fixture
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

export interface ChaosFixtureOptions {
  kubeconfigPath: string
  context: string
  namespace: string
  prometheusUrl: string
}

const networkDelay = (ns: string, name: string, labels: Record<string, string>, mode = 'fixed', value = '1') => ({
  apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: { name, namespace: ns },
  spec: { action: 'delay', mode, value, selector: { namespaces: [ns], labelSelectors: labels }, delay: { latency: '100ms' }, direction: 'to', duration: '10m' },
})

const engine = (ns: string, name: string, outcome: string) => ({
  apiVersion: 'litmuschaos.io/v1alpha1', kind: 'ChaosEngine', metadata: { name, namespace: ns, annotations: { [OUTCOME_ANNOTATION]: outcome } },
  spec: {
    engineState: 'active', chaosServiceAccount: 'pod-delete-sa', jobCleanUpPolicy: 'delete',
    appinfo: { appns: ns, applabel: 'app=checkout', appkind: 'deployment' },
    experiments: [{ name: 'pod-delete', spec: { components: { env: [{ name: 'TOTAL_CHAOS_DURATION', value: '60' }, { name: 'PODS_AFFECTED_PERC', value: '50' }] } } }],
  },
})

export interface ChaosConfigExtras {
  approvals?: boolean
  guardQuery?: string
  /** YAML lines added under `chaos:` (indented relative to it), e.g. a grafana: block. */
  chaosLines?: string[]
  /** Extra keys per experiment name, e.g. { 'nothing-selected': { selectTimeout: '300ms' } }. */
  experimentKeys?: Record<string, Record<string, string>>
  /** Whole experiment entries added to the list, as YAML lines indented like `    - name: ...`. */
  extraExperiments?: string[]
}

/** A config folder: one experiment per scenario, all guarded by `error-rate` (max 0.05) unless noted. */
export function writeChaosConfig(options: ChaosFixtureOptions, extra: ChaosConfigExtras = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-chaos-'))
  const ns = options.namespace
  const manifests: Record<string, object> = {
    'net-delay.yaml': networkDelay(ns, 'net-delay', { app: 'checkout' }),
    'nothing-selected.yaml': networkDelay(ns, 'nothing', { app: 'no-such-app' }),
    'outside.yaml': networkDelay('prod', 'outside', { app: 'checkout' }),
    'two-namespaces.yaml': { ...networkDelay(ns, 'two', { app: 'checkout' }), spec: { ...networkDelay(ns, 'two', { app: 'checkout' }).spec, selector: { namespaces: [ns, `${ns}-b`], labelSelectors: { app: 'checkout' } } } },
    'pod-kill.yaml': { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'pod-kill', namespace: ns }, spec: { action: 'pod-kill', mode: 'one', selector: { labelSelectors: { app: 'checkout' } } } },
    'litmus-pass.yaml': engine(ns, 'checkout', 'pass'),
    'litmus-probe-failure.yaml': engine(ns, 'checkout', 'probe-failure'),
    'litmus-stop-on-failure.yaml': engine(ns, 'checkout', 'stop-on-failure'),
    'litmus-no-target.yaml': engine(ns, 'checkout', 'no-target'),
    'litmus-hang.yaml': engine(ns, 'checkout', 'hang'),
  }
  for (const [file, manifest] of Object.entries(manifests)) writeFileSync(path.join(dir, file), JSON.stringify(manifest, null, 2))
  const experiment = (name: string, driver: string, manifest: string, duration: string, guard = true) =>
    `    - name: ${name}\n      driver: ${driver}\n      manifest: ${manifest}\n      hypothesis: checkout keeps its error rate under 5%\n      duration: ${duration}\n` +
    (guard ? '      guard: [error-rate]\n      guardInterval: 200ms\n' : '') +
    Object.entries(extra.experimentKeys?.[name] ?? {}).map(([k, v]) => `      ${k}: ${v}\n`).join('')
  writeFileSync(path.join(dir, '.release-gate.yml'), [
    'version: 1',
    'environments:',
    '  staging:',
    `    kubeconfig: ${JSON.stringify(options.kubeconfigPath)}`,
    `    kubeContext: ${options.context}`,
    `prometheus:\n  url: ${options.prometheusUrl}`,
    'gates:',
    '  checks:',
    '    - name: error-rate',
    '      kind: threshold',
    `      query: ${extra.guardQuery ?? 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))'}`,
    '      max: 0.05',
    'chaos:',
    ...(extra.chaosLines ?? []).map((line) => `  ${line}`),
    '  admission:',
    '    staging:',
    '      kinds: [NetworkChaos, PodChaos, ChaosEngine]',
    `      namespaces: [${ns}, ${ns}-b]`,
    '      maxPods: 2',
    '      maxPercent: 50',
    '      maxDuration: 1m',
    ...(extra.approvals ? ['      approvals:', '        users: [alice]'] : []),
    '  experiments:',
    experiment('net-delay', 'chaos-mesh', 'net-delay.yaml', '2s'),
    experiment('net-delay-long', 'chaos-mesh', 'net-delay.yaml', '30s'),
    experiment('nothing-selected', 'chaos-mesh', 'nothing-selected.yaml', '2s'),
    experiment('outside', 'chaos-mesh', 'outside.yaml', '2s'),
    experiment('two-namespaces', 'chaos-mesh', 'two-namespaces.yaml', '2s'),
    experiment('pod-kill', 'chaos-mesh', 'pod-kill.yaml', '30s'),
    experiment('litmus-pass', 'litmus', 'litmus-pass.yaml', '1s'),
    experiment('litmus-probe-failure', 'litmus', 'litmus-probe-failure.yaml', '1s'),
    experiment('litmus-stop-on-failure', 'litmus', 'litmus-stop-on-failure.yaml', '1s'),
    experiment('litmus-no-target', 'litmus', 'litmus-no-target.yaml', '1s'),
    experiment('litmus-hang', 'litmus', 'litmus-hang.yaml', '30s'),
    ...(extra.extraExperiments ?? []),
  ].join('\n'))
  return dir
}

/** Every object of every chaos type labelled with this run id in the namespace. */
export async function labelledObjects(client: KubeClient, namespace: string, runId: string): Promise<string[]> {
  const found: string[] = []
  for (const type of [...chaosMeshDriver.resourceTypes, ...litmusDriver.resourceTypes]) {
    const list = await client.list(type, namespace, { labelSelector: `${RUN_ID_LABEL}=${runId}` })
    found.push(...list.items.map((i) => `${i.kind}/${i.metadata.name}`))
  }
  return found
}
