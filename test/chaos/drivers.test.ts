import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KubeClient, type KubeObject } from '../../src/kube/index.js'
import { chaosMeshType, PAUSE_ANNOTATION } from '../../src/chaos/drivers/chaos-mesh.js'
import { chaosMeshDriver, litmusDriver, RUN_ID_LABEL } from '../../src/chaos/drivers/index.js'
import { runExperiment } from '../../src/chaos/run.js'
import { CHAOS_MESH_KINDS, type ChaosManifest } from '../../src/chaos/target.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { LitmusTestController, OUTCOME_ANNOTATION } from '../controllers/litmus.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { labelledObjects } from './support.js'

const kube = kubeTestCluster()

/** The smallest spec each kind's upstream CRD accepts (its `required` fields). */
const SPECS: Record<(typeof CHAOS_MESH_KINDS)[number], Record<string, unknown>> = {
  PodChaos: { action: 'pod-failure' },
  NetworkChaos: { action: 'delay', delay: { latency: '100ms' } },
  DNSChaos: { action: 'error', patterns: ['checkout.*'] },
  HTTPChaos: { target: 'Request', port: 8080, abort: true },
  IOChaos: { action: 'latency', delay: '10ms', volumePath: '/data' },
  StressChaos: { stressors: { cpu: { workers: 1, load: 20 } } },
  TimeChaos: { timeOffset: '-10m' },
}

/** The minimal Roles of the report (notes §5), exactly as granted to the limited user here. */
const CHAOS_MESH_ROLE = [
  { apiGroups: ['chaos-mesh.org'], resources: ['podchaos', 'networkchaos', 'dnschaos', 'httpchaos', 'iochaos', 'stresschaos', 'timechaos'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] },
]
const LITMUS_ROLE = [
  { apiGroups: ['litmuschaos.io'], resources: ['chaosengines'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] },
  { apiGroups: ['litmuschaos.io'], resources: ['chaosresults'], verbs: ['get', 'list', 'watch'] },
]

const settings = { selectTimeoutMs: 3_000, graceMs: 5_000, cleanupTimeoutMs: 5_000 }

describe.skipIf(!kube.available)('the chaos drivers on a real API server', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let limited: KubeClient
  let chaosMesh: ChaosMeshTestController
  let litmus: LitmusTestController

  beforeAll(async () => {
    ns = await createTestNamespace(cluster(), 'rg-drivers')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })
    const kubeConfig = kubeConfigFor(cluster(), ADMIN_CONTEXT)
    chaosMesh = new ChaosMeshTestController(admin, kubeConfig, ns, { pods: [{ namespace: ns, name: 'checkout-1', labels: { app: 'checkout' } }] })
    litmus = new LitmusTestController(admin, kubeConfig, ns)
  })

  afterAll(async () => {
    await chaosMesh?.stop()
    await litmus?.stop()
  })

  const manifest = (kind: string, spec: Record<string, unknown>): ChaosManifest => ({
    apiVersion: 'chaos-mesh.org/v1alpha1', kind, metadata: { name: kind.toLowerCase(), namespace: ns },
    spec: { mode: 'one', selector: { labelSelectors: { app: 'checkout' } }, duration: '1h', ...spec },
  })

  // 2 s, not 1 s: the deadline counts from creationTimestamp, which has whole-second precision, so a 1 s
  // experiment can expire before its first injection (upstream behaves the same; the driver then reports
  // "not every record was ever injected", a failure — see observe.test.ts).
  it(`creates each of ${CHAOS_MESH_KINDS.join(', ')} as the upstream CRDs accept it, and sees it injected, recovered and gone`, async () => {
    const outcomes = await Promise.all(CHAOS_MESH_KINDS.map((kind) =>
      runExperiment(admin, chaosMeshDriver, manifest(kind, SPECS[kind]), { labels: { [RUN_ID_LABEL]: `drv-${kind.toLowerCase()}` }, durationMs: 2_000 }, undefined, settings)))
    for (const [i, kind] of CHAOS_MESH_KINDS.entries()) {
      const outcome = outcomes[i]!
      expect({ kind, verdict: outcome.verdict, reason: outcome.reason }).toMatchObject({ kind, verdict: 'pass' })
      expect(outcome.handle).toMatchObject({ kind, duration: '2s' })
      const phases = outcome.timeline.map((e) => e.phase).filter((p) => p !== 'NotSelected')
      expect(phases).toEqual(['Created', 'AllInjected', 'AllRecovered', 'Deleted'])
      await expect(admin.get(chaosMeshType(kind), ns, outcome.handle!.name)).rejects.toMatchObject({ code: 404 })
      expect(await labelledObjects(admin, ns, `drv-${kind.toLowerCase()}`)).toEqual([])
    }
  })

  it('writes labels and the capped duration into the stored object, and pauses by merge-patching metadata only (status kept)', async () => {
    const handle = await chaosMeshDriver.create(admin, manifest('NetworkChaos', SPECS.NetworkChaos), { labels: { [RUN_ID_LABEL]: 'drv-pause', team: 'shop' }, durationMs: 90_500 })
    const type = chaosMeshType('NetworkChaos')
    const injected = await waitFor(async () => {
      const o = await admin.get(type, ns, handle.name)
      return condition(o, 'AllInjected') ? o : undefined
    })
    expect(injected.metadata.labels).toMatchObject({ [RUN_ID_LABEL]: 'drv-pause', team: 'shop' })
    expect((injected.spec as { duration: string }).duration).toBe('91s')
    await chaosMeshDriver.stop(admin, handle)
    const paused = await waitFor(async () => {
      const o = await admin.get(type, ns, handle.name)
      return condition(o, 'Paused') && condition(o, 'AllRecovered') ? o : undefined
    })
    expect(paused.metadata.annotations).toMatchObject({ [PAUSE_ANNOTATION]: 'true' })
    // The controller's records survived our write: injected once, recovered once, nothing clobbered.
    expect((paused.status as { experiment: { containerRecords: unknown[] } }).experiment.containerRecords).toEqual([
      expect.objectContaining({ phase: 'Not Injected', injectedCount: 1, recoveredCount: 1 }),
    ])
    expect(await chaosMeshDriver.cleanup(admin, handle, 5_000)).toMatchObject({ state: 'gone' })
  })

  it('runs Chaos Mesh end to end with only the minimal Role', async () => {
    await grantLimitedUser(cluster(), ns, CHAOS_MESH_ROLE)
    const outcome = await runExperiment(limited, chaosMeshDriver, manifest('PodChaos', SPECS.PodChaos), { labels: { [RUN_ID_LABEL]: 'drv-role-cm' }, durationMs: 2_000 }, undefined, settings)
    expect(outcome.verdict).toBe('pass')
    expect(await labelledObjects(admin, ns, 'drv-role-cm')).toEqual([])
  })

  it('runs Litmus end to end with only the minimal Role', async () => {
    await grantLimitedUser(cluster(), ns, LITMUS_ROLE)
    const engine: ChaosManifest = {
      apiVersion: 'litmuschaos.io/v1alpha1', kind: 'ChaosEngine', metadata: { name: 'role', namespace: ns, annotations: { [OUTCOME_ANNOTATION]: 'pass' } } as ChaosManifest['metadata'],
      spec: { appinfo: { appns: ns, applabel: 'app=checkout', appkind: 'deployment' }, chaosServiceAccount: 'sa', experiments: [{ name: 'pod-delete' }] },
    }
    const outcome = await runExperiment(limited, litmusDriver, engine, { labels: { [RUN_ID_LABEL]: 'drv-role-litmus' }, durationMs: 1_000 }, undefined, settings)
    expect(outcome.verdict).toBe('pass')
    expect(await labelledObjects(admin, ns, 'drv-role-litmus')).toEqual([])
  })

  it('reports an object it may not delete as stuck, naming the missing verb — the fault is stopped first', async () => {
    await grantLimitedUser(cluster(), ns, [{ ...CHAOS_MESH_ROLE[0]!, verbs: ['create', 'get', 'list', 'watch', 'patch'] }])
    const outcome = await runExperiment(limited, chaosMeshDriver, manifest('NetworkChaos', SPECS.NetworkChaos), { labels: { [RUN_ID_LABEL]: 'drv-no-delete' }, durationMs: 1_000 }, undefined,
      { ...settings, selectTimeoutMs: 100 })
    expect(outcome.cleanup).toMatchObject({ state: 'stuck', detail: expect.stringContaining('add verb delete on resource networkchaos (apiGroups: ["chaos-mesh.org"]) to the Role bound to user "release-gate-limited"') })
    expect(await labelledObjects(admin, ns, 'drv-no-delete')).toHaveLength(1)
    await chaosMeshDriver.cleanup(admin, outcome.handle!, 5_000)
  })
})

function condition(object: KubeObject, type: string): boolean {
  return ((object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === type && c.status === 'True')
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
