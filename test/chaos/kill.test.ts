import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KubeClient, type KubeObject } from '../../src/kube/index.js'
import { chaosMeshType } from '../../src/chaos/drivers/chaos-mesh.js'
import { cli, REPO } from '../cli/run.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { ADMIN_CONTEXT, createTestNamespace, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { SliFixture, labelledObjects, writeChaosConfig } from './support.js'

const kube = kubeTestCluster()
const ROUNDS = 20
const PARALLEL = 4

describe.skipIf(!kube.available)('never left behind: a killed `chaos run`, then `cleanup --run-id`', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let sli: SliFixture
  let controller: ChaosMeshTestController
  let dir: string
  let bundle: string

  beforeAll(async () => {
    // The CLI as a separate process, the way CI runs it: bundled like the release build, dependencies external.
    bundle = path.join(REPO, '.cache/chaos-test/cli.mjs')
    await build({ entryPoints: [path.join(REPO, 'src/cli/index.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' })
    ns = await createTestNamespace(cluster(), 'rg-kill')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    sli = await SliFixture.start()
    controller = new ChaosMeshTestController(admin, kubeConfigFor(cluster(), ADMIN_CONTEXT), ns, {
      pods: [1, 2].map((i) => ({ namespace: ns, name: `checkout-${i}`, labels: { app: 'checkout' } })),
    })
    dir = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: sli.url })
  })

  afterAll(async () => {
    await controller?.stop()
    await sli?.close()
  })

  function startRun(runId: string): { child: ChildProcess; stdout: () => string } {
    const child = spawn(process.execPath, [bundle, 'chaos', 'run', '--experiment', 'net-delay-long', '--run-id', runId, '--environment', 'staging', '--format', 'json'],
      { cwd: dir, env: { PATH: process.env.PATH, GITHUB_REF_NAME: 'main' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr!.resume()
    return { child, stdout: () => out }
  }

  /** The run's object once the controller reports it injected: the middle of the experiment. */
  async function injected(runId: string): Promise<KubeObject> {
    const deadline = Date.now() + 30_000
    for (;;) {
      const items = (await admin.list(chaosMeshType('NetworkChaos'), ns, { labelSelector: `release-gate/run-id=${runId}` })).items
      const object = items.find((o) => ((o.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'AllInjected' && c.status === 'True'))
      if (object) return object
      if (Date.now() > deadline) throw new Error(`run ${runId}: no injected NetworkChaos within 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  async function killThenCleanup(round: number): Promise<{ left: string[]; cleanupCode: number; cleanupMs: number; hadFinalizer: boolean }> {
    const runId = `kill-${round}-${Date.now().toString(36)}`
    const { child } = startRun(runId)
    const exited = once(child, 'exit')
    const object = await injected(runId)
    child.kill('SIGKILL')
    await exited
    const started = Date.now()
    const cleanup = await cli(['cleanup', '--run-id', runId, '--environment', 'staging'], { cwd: dir, env: {} })
    return {
      left: await labelledObjects(admin, ns, runId),
      cleanupCode: cleanup.code,
      cleanupMs: Date.now() - started,
      hadFinalizer: ((object.metadata as { finalizers?: string[] }).finalizers ?? []).includes('chaos-mesh/records'),
    }
  }

  it(`leaves nothing labelled with the run in ${ROUNDS}/${ROUNDS} SIGKILLed runs`, async () => {
    const results: Awaited<ReturnType<typeof killThenCleanup>>[] = []
    for (let start = 0; start < ROUNDS; start += PARALLEL)
      results.push(...(await Promise.all(Array.from({ length: Math.min(PARALLEL, ROUNDS - start) }, (_, i) => killThenCleanup(start + i)))))
    expect(results.map((r) => r.left)).toEqual(Array.from({ length: ROUNDS }, () => []))
    expect(results.every((r) => r.cleanupCode === 0)).toBe(true)
    // Each killed run really had left a live, finalized experiment for cleanup to deal with.
    expect(results.every((r) => r.hadFinalizer)).toBe(true)
    const times = results.map((r) => r.cleanupMs).sort((a, b) => a - b)
    console.info(`[chaos] cleanup after SIGKILL: ${ROUNDS}/${ROUNDS} clean; cleanup time median ${times[ROUNDS >> 1]} ms, max ${times.at(-1)} ms`)
  }, 120_000)

  it('on SIGTERM stops and deletes what it created by itself, and exits inconclusive (3)', async () => {
    const runId = `term-${Date.now().toString(36)}`
    const { child, stdout } = startRun(runId)
    const exited = once(child, 'exit')
    await injected(runId)
    child.kill('SIGTERM')
    const [code] = await exited
    expect(code).toBe(3)
    const report = JSON.parse(stdout()) as { stages: { evidence: { experiments: { reason: string; timeline: { phase: string }[] }[] } }[] }
    const experiment = report.stages[0]!.evidence.experiments[0]!
    expect(experiment.reason).toContain('interrupted (SIGINT/SIGTERM)')
    expect(experiment.timeline.map((e) => e.phase).slice(-2)).toEqual(['StopRequested', 'Deleted'])
    expect(await labelledObjects(admin, ns, runId)).toEqual([])
  })
})
