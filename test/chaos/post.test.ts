import path from 'node:path'
import { tmpdir } from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { post } from '../../src/action/post.js'
import { chaosMeshDriver, RUN_ID_LABEL } from '../../src/chaos/drivers/index.js'
import { KubeClient } from '../../src/kube/index.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { ADMIN_CONTEXT, createTestNamespace, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { labelledObjects, writeChaosConfig } from './support.js'

const kube = kubeTestCluster()

describe.skipIf(!kube.available)('the action post step', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let controller: ChaosMeshTestController
  const saved = { ...process.env }

  beforeAll(async () => {
    ns = await createTestNamespace(cluster(), 'rg-post')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    controller = new ChaosMeshTestController(admin, kubeConfigFor(cluster(), ADMIN_CONTEXT), ns, { pods: [{ namespace: ns, name: 'checkout-1', labels: { app: 'checkout' } }] })
  })

  afterAll(async () => {
    await controller?.stop()
  })

  afterEach(() => {
    process.env = { ...saved }
    vi.restoreAllMocks()
  })

  /** The runner's environment for the post step: the saved run id and every declared input. */
  async function runPost(runId: string, dir: string): Promise<string> {
    process.env = {
      ...saved, [`STATE_run-id`]: runId, 'INPUT_WORKING-DIRECTORY': dir, INPUT_CONFIG: '.release-gate.yml', INPUT_ENVIRONMENT: 'staging',
      'INPUT_DRY-RUN': 'true', INPUT_FORMAT: 'github', INPUT_COMMAND: 'chaos', GITHUB_ACTIONS: 'true',
    }
    let out = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += chunk.toString()
      return true
    })
    await post()
    vi.restoreAllMocks()
    return out
  }

  it('deletes what a killed main step left, by the saved run id (even when the main step was a dry run input)', async () => {
    const dir = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: 'http://127.0.0.1:1' })
    const manifest = { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: { name: 'left', namespace: ns }, spec: { action: 'delay', mode: 'one', selector: { labelSelectors: { app: 'checkout' } }, delay: { latency: '10ms' } } }
    await chaosMeshDriver.create(admin, manifest, { labels: { [RUN_ID_LABEL]: 'gh-77-1' }, durationMs: 60_000 })
    expect(await labelledObjects(admin, ns, 'gh-77-1')).toHaveLength(1)
    const out = await runPost('gh-77-1', dir)
    expect(out).toContain(`release-gate post: run gh-77-1: deleted 1 of 1 object(s) in ${ns}`)
    expect(out).not.toContain('::warning::')
    expect(await labelledObjects(admin, ns, 'gh-77-1')).toEqual([])
  })

  it('only warns when cleanup cannot run (no cluster): the job does not fail', async () => {
    const dir = writeChaosConfig({ kubeconfigPath: path.join(tmpdir(), 'no-such-kubeconfig'), context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: 'http://127.0.0.1:1' })
    const out = await runPost('gh-78-1', dir)
    expect(out).toMatch(/::warning::release-gate post: cleanup of run gh-78-1 failed: .*environment staging/)
    expect(process.exitCode ?? 0).toBe(0)
  })
})
