import { KubeConfig } from '@kubernetes/client-node'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  KubeApiError, KubeClient, ROLLOUTS, type KubeObject, type ResumableWatch, type WatchEvent,
} from '../../src/kube/index.js'
import { startTcpProxy } from '../infra/kube/tcp-proxy.js'
import {
  ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeConfigFor, kubeTestCluster,
} from '../infra/kube/test-cluster.js'
import { asNewObject, referenceObjects } from './reference-objects.js'

const kube = kubeTestCluster()

/** Compact, comparable form of an event: "ADDED a r=1". */
function describeEvent(event: WatchEvent): string {
  const replicas = (event.object.spec as { replicas?: number } | undefined)?.replicas
  return `${event.type} ${event.object.metadata.name} r=${replicas}${event.fromList ? ' (list)' : ''}`
}

describe.skipIf(!kube.available)('resumable watch on a real kube-apiserver v1.20', () => {
  const cluster = kube.use()
  let admin: KubeClient
  let rollout: (name: string, replicas: number) => KubeObject
  const watches: ResumableWatch[] = []

  beforeAll(() => {
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    const [example] = referenceObjects('argo-rollouts/examples/rollout-canary-healthy-completed.yaml')
    rollout = (name, replicas) => {
      const { object } = asNewObject(example!, 'unused')
      return { ...object, metadata: { name }, spec: { ...(object.spec as object), replicas } }
    }
  })

  afterEach(() => {
    watches.splice(0).forEach((w) => w.stop())
  })

  function watchInto(client: KubeClient, ns: string, events: string[], options: Parameters<KubeClient['watch']>[3] = {}) {
    const watch = client.watch(ROLLOUTS, ns, (event) => events.push(describeEvent(event)), options)
    watches.push(watch)
    return watch
  }

  it('lists first, then sees every change across server-side timeouts (resuming from the last resourceVersion)', async () => {
    const ns = await createTestNamespace(cluster(), 'rg-watch')
    await admin.create(ROLLOUTS, ns, rollout('a', 1))
    await admin.create(ROLLOUTS, ns, rollout('b', 1))
    const events: string[] = []
    const watch = watchInto(admin, ns, events, { timeoutSeconds: 1 })
    await expect.poll(() => events.length).toBe(2)

    for (let replicas = 2; replicas <= 6; replicas++) {
      await admin.mergePatch(ROLLOUTS, ns, 'a', { spec: { replicas } })
      await new Promise((r) => setTimeout(r, 450)) // spread the changes over several 1 s watch requests
    }
    await admin.create(ROLLOUTS, ns, rollout('c', 3))
    await admin.delete(ROLLOUTS, ns, 'b')

    await expect.poll(() => events.length, { timeout: 5_000 }).toBe(9)
    expect(events).toEqual([
      'ADDED a r=1 (list)', 'ADDED b r=1 (list)',
      'MODIFIED a r=2', 'MODIFIED a r=3', 'MODIFIED a r=4', 'MODIFIED a r=5', 'MODIFIED a r=6',
      'ADDED c r=3', 'DELETED b r=1',
    ])
    expect(watch.stats.connects).toBeGreaterThanOrEqual(3)
    expect(watch.stats).toMatchObject({ resyncs: 0, retries: 0 })
  })

  it('resumes after the connection drops and misses nothing that changed meanwhile', async () => {
    const ns = await createTestNamespace(cluster(), 'rg-watch')
    const server = new URL(kubeConfigFor(cluster(), ADMIN_CONTEXT).getCurrentCluster()!.server)
    const proxy = await startTcpProxy(Number(server.port))
    try {
      const direct = kubeConfigFor(cluster(), ADMIN_CONTEXT)
      const viaProxy = new KubeConfig()
      viaProxy.loadFromOptions({
        clusters: direct.getClusters().map((c) => ({ ...c, server: `https://127.0.0.1:${proxy.port}` })),
        users: direct.getUsers(),
        contexts: direct.getContexts(),
        currentContext: ADMIN_CONTEXT,
      })
      const events: string[] = []
      const retried: KubeApiError[] = []
      const watch = watchInto(new KubeClient(viaProxy), ns, events, { retryDelayMs: 200, onRetry: (e) => retried.push(e) })
      await expect.poll(() => watch.stats.connects).toBe(1)
      await admin.create(ROLLOUTS, ns, rollout('x', 1))
      await expect.poll(() => events).toEqual(['ADDED x r=1'])

      expect(proxy.dropConnections()).toBeGreaterThanOrEqual(1)
      await admin.create(ROLLOUTS, ns, rollout('y', 2)) // while the watch is down
      await admin.mergePatch(ROLLOUTS, ns, 'x', { spec: { replicas: 5 } })

      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(3)
      expect(events).toEqual(['ADDED x r=1', 'ADDED y r=2', 'MODIFIED x r=5'])
      expect(watch.stats.retries).toBeGreaterThanOrEqual(1)
      expect(retried[0]).toMatchObject({ code: 0, operation: { verb: 'watch', plural: 'rollouts', namespace: ns } })
      expect(watch.stats.resyncs).toBe(0)
    } finally {
      await proxy.close()
    }
  })

  it('re-lists after 410 Gone and reports the difference to what it had seen', async () => {
    const ns = await createTestNamespace(cluster(), 'rg-watch')
    await admin.create(ROLLOUTS, ns, rollout('old', 1))
    const events: string[] = []
    // resourceVersion 1 is older than anything the server still has, so the watch gets 410 Gone at once.
    const watch = watchInto(admin, ns, events, { resourceVersion: '1' })
    await expect.poll(() => events).toEqual(['ADDED old r=1 (list)'])
    expect(watch.stats.resyncs).toBe(1)

    await admin.mergePatch(ROLLOUTS, ns, 'old', { spec: { replicas: 2 } })
    await expect.poll(() => events.at(-1)).toBe('MODIFIED old r=2')
  })

  it('stops and rejects done with the handler error when the handler throws', async () => {
    const ns = await createTestNamespace(cluster(), 'rg-watch')
    await admin.create(ROLLOUTS, ns, rollout('boom', 1))
    const watch = admin.watch(ROLLOUTS, ns, () => {
      throw new Error('handler failed')
    })
    watches.push(watch)
    await expect(watch.done).rejects.toThrow('handler failed')
  })

  it('ends with the missing permission when the user may not watch', async () => {
    const ns = await createTestNamespace(cluster(), 'rg-watch')
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get'] }])
    const limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })

    const listFirst = limited.watch(ROLLOUTS, ns, () => undefined)
    watches.push(listFirst)
    await expect(listFirst.done).rejects.toThrow(
      `cannot list rollouts.argoproj.io in namespace ${ns}: add verb list on resource rollouts (apiGroups: ["argoproj.io"]) ` +
        'to the Role bound to user "release-gate-limited"')

    const fromVersion = limited.watch(ROLLOUTS, ns, () => undefined, { resourceVersion: '1' })
    watches.push(fromVersion)
    const error = await fromVersion.done.then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(KubeApiError)
    expect((error as KubeApiError).message).toBe(
      `cannot watch rollouts.argoproj.io in namespace ${ns}: add verb watch on resource rollouts (apiGroups: ["argoproj.io"]) to the Role`)
  })
})
