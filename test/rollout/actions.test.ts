import { beforeAll, describe, expect, it } from 'vitest'
import { KubeApiError, KubeClient, ROLLOUTS, type PatchOptions } from '../../src/kube/index.js'
import { promotePatches, runRolloutAction, type RolloutActionName } from '../../src/rollout/actions.js'
import { runRolloutStage } from '../../src/rollout/stage.js'
import { waitForRollout } from '../../src/rollout/wait.js'
import { parseConfig } from '../../src/config/load.js'
import type { Rollout, RolloutStatus } from '../../src/rollout/phase.js'
import { canaryRollout } from '../controllers/argo-rollouts.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeTestCluster } from '../infra/kube/test-cluster.js'

// The plugin's patch bytes, verbatim from promote.go / abort.go / retry.go / pause.go (see the shared notes, 1.1-1.3).
const PLUGIN = {
  unpause: '{"spec":{"paused":false}}',
  clearPauseConditions: '{"status":{"pauseConditions":null}}',
  clearPauseConditionsWithStep: (i: number) => `{"status":{"pauseConditions":null, "currentStepIndex":${i}}}`,
  clearPauseConditionsAndControllerPause: (i: number) => `{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":${i}}}`,
  promoteFull: '{"status":{"promoteFull":true}}',
  abort: '{"status":{"abort":true}}',
  retry: '{"status":{"abort":false}}',
  pause: '{"spec":{"paused":true}}'
}

const T = '2026-01-01T00:00:00Z'
const PAUSED_AT_STEP_1: RolloutStatus = {
  currentStepIndex: 1, controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: T }],
  stableRS: 'aaaa', currentPodHash: 'bbbb', phase: 'Paused', message: 'CanaryPauseStep'
}

interface Scenario {
  name: string
  action: RolloutActionName
  specPaused?: boolean
  status: RolloutStatus
  /** What the plugin sends, in its order: [subresource, bytes]. */
  plugin: ['status' | 'main', string][]
  /** The patch is sent but leaves the object as it was. */
  noChange?: boolean
}

const SCENARIOS: Scenario[] = [
  { name: 'promote at a canary pause step', action: 'promote', status: PAUSED_AT_STEP_1, plugin: [['status', PLUGIN.clearPauseConditions]] },
  { name: 'promote a manually paused rollout at a pause step', action: 'promote', specPaused: true, status: PAUSED_AT_STEP_1,
    plugin: [['status', PLUGIN.clearPauseConditions], ['main', PLUGIN.unpause]] },
  { name: 'promote during a running analysis step (no pause condition)', action: 'promote',
    status: { currentStepIndex: 2, stableRS: 'aaaa', currentPodHash: 'bbbb' }, plugin: [['status', PLUGIN.clearPauseConditionsWithStep(3)]] },
  { name: 'promote at the last step caps the index at len(steps)', action: 'promote',
    status: { currentStepIndex: 4, stableRS: 'aaaa', currentPodHash: 'bbbb' }, plugin: [['status', PLUGIN.clearPauseConditionsWithStep(4)]], noChange: true },
  { name: 'promote after an inconclusive step analysis (#3016)', action: 'promote',
    status: { currentStepIndex: 2, controllerPause: true, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: T }], stableRS: 'aaaa', currentPodHash: 'bbbb',
      canary: { currentStepAnalysisRunStatus: { name: 'run-1', status: 'Inconclusive' } } },
    plugin: [['status', PLUGIN.clearPauseConditionsAndControllerPause(3)]] },
  { name: 'promote --full', action: 'promote-full', status: PAUSED_AT_STEP_1, plugin: [['status', PLUGIN.promoteFull]] },
  { name: 'promote --full of a manually paused rollout', action: 'promote-full', specPaused: true, status: PAUSED_AT_STEP_1,
    plugin: [['status', PLUGIN.promoteFull], ['main', PLUGIN.unpause]] },
  { name: 'promote --full of a fully promoted rollout sends nothing', action: 'promote-full',
    status: { currentStepIndex: 4, stableRS: 'bbbb', currentPodHash: 'bbbb' }, plugin: [] },
  { name: 'abort', action: 'abort', status: PAUSED_AT_STEP_1, plugin: [['status', PLUGIN.abort]] },
  { name: 'retry', action: 'retry', status: { ...PAUSED_AT_STEP_1, abort: true, abortedAt: T }, plugin: [['status', PLUGIN.retry]] },
  { name: 'pause', action: 'pause', status: PAUSED_AT_STEP_1, plugin: [['main', PLUGIN.pause]] }
]

const kube = kubeTestCluster()

describe.skipIf(!kube.available)('rollout actions on a real kube-apiserver: the server ends where the plugin leaves it', () => {
  const cluster = kube.use()
  let admin: KubeClient
  let ns: string

  beforeAll(async () => {
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    ns = await createTestNamespace(cluster(), 'rg-rollout-actions')
  })

  /** A rollout in the given state, written as a controller would: spec on the resource, status via /status. */
  async function seed(name: string, status: RolloutStatus, specPaused = false): Promise<Rollout> {
    const rollout = canaryRollout(name, ns, { app: 'demo' })
    if (specPaused) rollout.spec!.paused = true
    await admin.create(ROLLOUTS, ns, rollout)
    return admin.mergePatchStatus<Rollout>(ROLLOUTS, ns, name, { status })
  }

  const view = (r: Rollout) => ({ spec: r.spec, status: r.status, generation: r.metadata.generation })

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))('%s', async (_name, scenario, i) => {
    const ours = `ours-${i}`
    const theirs = `plugin-${i}`
    const seeded = await seed(ours, scenario.status, scenario.specPaused)
    await seed(theirs, scenario.status, scenario.specPaused)

    const result = await runRolloutAction(admin, ns, ours, scenario.action)
    for (const [subresource, bytes] of scenario.plugin) {
      const patch = JSON.parse(bytes) as Record<string, unknown>
      if (subresource === 'status') await admin.mergePatchStatus(ROLLOUTS, ns, theirs, patch)
      else await admin.mergePatch(ROLLOUTS, ns, theirs, patch)
    }

    // Same requests, same order, same content as the plugin's bytes...
    expect(result.sent.map((s) => [s.subresource, s.patch])).toEqual(scenario.plugin.map(([sub, bytes]) => [sub, JSON.parse(bytes)]))
    // ...and, read back from the server, the same object.
    const [a, b] = await Promise.all([admin.get<Rollout>(ROLLOUTS, ns, ours), admin.get<Rollout>(ROLLOUTS, ns, theirs)])
    expect(view(a)).toEqual(view(b))
    if (scenario.plugin.length === 0) expect(a.metadata.resourceVersion).toBe(seeded.metadata.resourceVersion)
    else if (scenario.noChange) expect(view(a)).toEqual(view(seeded))
    else expect(view(a)).not.toEqual(view(seeded))
  })

  it('dry run: computes the exact patches from the live object and sends nothing', async () => {
    const before = await seed('dry-run', PAUSED_AT_STEP_1, true)
    const result = await runRolloutAction(admin, ns, 'dry-run', 'promote', { dryRun: true })
    expect(result.plan).toMatchObject({ status: { status: { pauseConditions: null } }, spec: { spec: { paused: false } } })
    expect(result.sent).toEqual([])
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'dry-run')).metadata.resourceVersion).toBe(before.metadata.resourceVersion)
  })

  it('retries a promote refused with 409 on a fresh read, recomputing the patch from the new state', async () => {
    await seed('conflict', { currentStepIndex: 2, stableRS: 'aaaa', currentPodHash: 'bbbb' })
    // A client whose first status patch races a controller write: the write lands between our read and our patch.
    class RacingClient extends KubeClient {
      raced = 0
      override async mergePatchStatus<T extends import('../../src/kube/index.js').KubeObject>(type: typeof ROLLOUTS, namespace: string, name: string,
        patch: Record<string, unknown>, options: PatchOptions = {}): Promise<T> {
        if (this.raced === 0) {
          this.raced++
          await admin.mergePatchStatus(ROLLOUTS, namespace, name, { status: { currentStepIndex: 3 } })
        }
        return super.mergePatchStatus<T>(type, namespace, name, patch, options)
      }
    }
    const racing = new RacingClient(admin.kubeConfig)
    const result = await runRolloutAction(racing, ns, 'conflict', 'promote')
    expect(result.conflicts).toBe(1)
    // Computed from the fresh read (index 3), not the stale one (index 2): 3 + 1.
    expect(result.sent).toEqual([{ subresource: 'status', patch: { status: { pauseConditions: null, currentStepIndex: 4 } } }])
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'conflict')).status?.currentStepIndex).toBe(4)
  })

  it('a 403 names the missing verb and resource; the plugin\'s 404 fallback does not hide it', async () => {
    await seed('forbidden', PAUSED_AT_STEP_1)
    const limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'patch'] }])
    await expect.poll(() => limited.get(ROLLOUTS, ns, 'forbidden').then(() => true, () => false), { timeout: 5_000 }).toBe(true)

    const error = await runRolloutAction(limited, ns, 'forbidden', 'promote').then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(KubeApiError)
    expect((error as KubeApiError).message).toBe(
      `cannot patch rollouts.argoproj.io/status "forbidden" in namespace ${ns}: add verb patch on resource rollouts/status (apiGroups: ["argoproj.io"]) to the Role bound to user "release-gate-limited"`)
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'forbidden')).status?.pauseConditions).toHaveLength(1)

    // The minimal Role from the report is enough for promote and abort.
    await grantLimitedUser(cluster(), ns, [
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts/status'], verbs: ['patch'] }
    ])
    await expect.poll(() => runRolloutAction(limited, ns, 'forbidden', 'promote').then(() => true, () => false), { timeout: 5_000 }).toBe(true)
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'forbidden')).status?.pauseConditions).toBeUndefined()
    await runRolloutAction(limited, ns, 'forbidden', 'abort')
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'forbidden')).status?.abort).toBe(true)
  })
  it('a watch without the watch verb fails naming it, once the initial list does not already show the target', async () => {
    await seed('unwatchable', { currentStepIndex: 0, stableRS: 'aaaa', currentPodHash: 'bbbb' })
    const limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list'] }])
    await expect.poll(() => limited.list(ROLLOUTS, ns).then(() => true, () => false), { timeout: 5_000 }).toBe(true)
    const error = await waitForRollout(limited, ns, 'unwatchable', { kind: 'paused' }, { timeoutMs: 5_000 }).then(() => undefined, (e: unknown) => e)
    expect((error as Error).message).toBe(
      `cannot watch rollouts.argoproj.io in namespace ${ns}: add verb watch on resource rollouts (apiGroups: ["argoproj.io"]) to the Role`)
  })

  it('the plugin\'s 404 fallback: when /status answers 404 (Rollouts ≤ v0.9) the unified patch goes to the main resource', async () => {
    await seed('v09', PAUSED_AT_STEP_1, true)
    // This server has the status subresource; the client below answers /status the way a v0.9 cluster does.
    class NoStatusSubresource extends KubeClient {
      override mergePatchStatus<T extends import('../../src/kube/index.js').KubeObject>(_type: typeof ROLLOUTS, namespace: string, name: string): Promise<T> {
        return Promise.reject(new KubeApiError({ verb: 'patch', group: 'argoproj.io', plural: 'rollouts', subresource: 'status', namespace, name }, 404, 'NotFound', 'the server could not find the requested resource'))
      }
    }
    const result = await runRolloutAction(new NoStatusSubresource(admin.kubeConfig), ns, 'v09', 'promote')
    expect(result.sent).toEqual([{ subresource: 'main', patch: JSON.parse('{"spec":{"paused":false},"status":{"pauseConditions":null}}'), fallback: true }])
    // The server applied the spec half; it ignores status on the main resource because this CRD has /status.
    const live = await admin.get<Rollout>(ROLLOUTS, ns, 'v09')
    expect(live.spec?.paused).toBe(false)
    expect(live.status?.pauseConditions).toHaveLength(1)
  })
  it('the stage does not promote over the rollout\'s own inconclusive analysis, even when every gate passed', async () => {
    const before = await seed('argo-inconclusive', {
      currentStepIndex: 2, controllerPause: true, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: T }], stableRS: 'aaaa', currentPodHash: 'bbbb',
      canary: { currentStepAnalysisRunStatus: { name: 'run-1', status: 'Inconclusive' } }, phase: 'Paused', message: 'InconclusiveAnalysisRun'
    })
    const text = `version: 1\nrollout: { name: argo-inconclusive, namespace: ${ns}, waitTimeout: 5s }\n`
    const ctx = { config: parseConfig(text, '.release-gate.yml'), baseDir: '.', options: { cwd: '.', configPath: '.release-gate.yml', configRequired: true, dryRun: false, format: 'json' as const, runId: 'r', env: {} } }
    const { result } = await runRolloutStage(ctx, { verdict: 'pass', stages: [] }, { client: admin })
    expect(result.verdict).toBe('inconclusive')
    expect(result.summary).toBe('held argo-inconclusive: the rollout paused on its own inconclusive analysis (InconclusiveAnalysisRun); a person decides with promote or abort')
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'argo-inconclusive')).metadata.resourceVersion).toBe(before.metadata.resourceVersion)
  })
})

describe('promote patch selection (getPatches)', () => {
  const rollout = (status: RolloutStatus, extra: Partial<Rollout['spec']> = {}): Rollout => {
    const r = canaryRollout('x', 'ns')
    return { ...r, spec: { ...r.spec, ...extra }, status }
  }
  it('blue-green: clears the pause condition, never touches a step index', () => {
    const blueGreen = rollout({ pauseConditions: [{ reason: 'BlueGreenPause' }], controllerPause: true }, { strategy: { blueGreen: {} } })
    expect(promotePatches(blueGreen, false)).toMatchObject({ status: { status: { pauseConditions: null } }, unified: { spec: { paused: false }, status: { pauseConditions: null } } })
    expect(promotePatches(rollout({}, { strategy: { blueGreen: {} } }), false).status).toBeUndefined()
  })

  it('the 404 fallback patch is the unified spec+status patch of the same branch', () => {
    expect(promotePatches(rollout({ currentStepIndex: 0 }), false).unified).toEqual({ spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 1 } })
    expect(promotePatches(rollout({ currentPodHash: 'b', stableRS: 'a' }), true).unified).toEqual({ spec: { paused: false }, status: { promoteFull: true } })
  })
})
