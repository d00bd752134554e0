import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunOptions } from '../../src/commands.js'
import { parseConfig } from '../../src/config/load.js'
import { KubeClient, ROLLOUTS } from '../../src/kube/index.js'
import type { StageContext } from '../../src/pipeline.js'
import type { Rollout } from '../../src/rollout/phase.js'
import { rolloutState } from '../../src/rollout/phase.js'
import { runRolloutStage, type Upstream } from '../../src/rollout/stage.js'
import { waitForRollout } from '../../src/rollout/wait.js'
import { cli } from '../cli/run.js'
import { ArgoRolloutsTestController, canaryRollout, deployImage } from '../controllers/argo-rollouts.js'
import { TOKEN } from '../github/support.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { FaultServer } from '../infra/prometheus/fault-server.js'

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const kube = kubeTestCluster()
const github = useOpenApiServer()

const upstream = (verdict: Upstream['verdict']): Upstream => ({ verdict, stages: [{ stage: 'gates', verdict, summary: `gates ${verdict}` }] })

describe.skipIf(!kube.available)('the rollout stage against a real API server and a test-played Argo Rollouts controller', () => {
  const cluster = kube.use()
  let admin: KubeClient
  let ns: string
  let controller: ArgoRolloutsTestController

  beforeAll(async () => {
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    ns = await createTestNamespace(cluster(), 'rg-rollout-stage')
    controller = ArgoRolloutsTestController.start(admin, ns)
  })
  afterAll(async () => {
    await controller?.stop()
  })

  /** v1 becomes stable, then v2 is deployed and the controller pauses it at step 1 (pause: {}). */
  async function pausedCanary(name: string): Promise<Rollout> {
    await admin.create(ROLLOUTS, ns, canaryRollout(name, ns, { image: 'registry.example/app:1' }))
    const stable = await waitForRollout(admin, ns, name, { kind: 'healthy' }, { timeoutMs: 10_000 })
    expect(stable.status).toBe('reached')
    await deployImage(admin, ns, name, 'registry.example/app:2')
    const paused = await waitForRollout(admin, ns, name, { kind: 'paused' }, { timeoutMs: 10_000 })
    if (paused.status !== 'reached') throw new Error(`${name} did not pause: ${JSON.stringify(paused)}`)
    expect(paused.state).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep', stepIndex: 1, stepCount: 4 })
    return paused.rollout
  }

  function configDir(rollout: string, extra = '', stages = 'rollout'): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-rollout-'))
    writeFileSync(path.join(dir, '.release-gate.yml'), `version: 1
environments:
  test:
    kubeconfig: ${JSON.stringify(cluster().kubeconfigPath)}
    kubeContext: ${ADMIN_CONTEXT}
    stages: [${stages}]
rollout:
  name: ${rollout}
  namespace: ${ns}
  waitTimeout: 10s
${extra}`)
    return dir
  }

  function context(dir: string, env: NodeJS.ProcessEnv = {}): StageContext {
    const text = readFileSync(path.join(dir, '.release-gate.yml'), 'utf8')
    const options: RunOptions = { cwd: dir, configPath: '.release-gate.yml', configRequired: true, dryRun: false, format: 'json', runId: 'run-1', env }
    return { config: parseConfig(text, '.release-gate.yml'), baseDir: dir, options }
  }

  const githubEnv = (): NodeJS.ProcessEnv => ({
    GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_SHA: SHA, GITHUB_API_URL: github.current.baseUrl,
    GITHUB_EVENT_NAME: 'push', GITHUB_RUN_ID: '77'
  })
  const fastGitHub = { github: { paceWrites: false, msPerRetrySecond: 1 } }

  it('pass: waits for the pause, promotes with the plugin\'s patch, the controller moves on; check run success', async () => {
    await pausedCanary('promote-me')
    const ctx = context(configDir('promote-me', '  check: { type: check-run, name: release-gate/rollout }\n'), githubEnv())
    const { result } = await runRolloutStage(ctx, upstream('pass'), fastGitHub)

    expect(result).toMatchObject({ stage: 'rollout', verdict: 'pass', findings: [] })
    expect(result.summary).toBe('promoted promote-me: Paused (CanaryPauseStep), step 3/4')
    expect(result.evidence).toMatchObject({
      decision: { action: 'promote', full: false },
      before: { phase: 'Paused', stepIndex: 1, waitingForPromotion: true },
      patches: [{ subresource: 'status', patch: { status: { pauseConditions: null } } }],
      after: { phase: 'Paused', stepIndex: 3, controllerReacted: true }
    })
    expect(result.details).toContain(`sent: PATCH rollouts.argoproj.io/promote-me/status in namespace ${ns} (application/merge-patch+json): {"status":{"pauseConditions":null}}`)

    // The server's view, from the watch: our patch alone (pause condition gone, controllerPause still set,
    // step unchanged), then the controller's reaction.
    const statuses = controller.eventsOf('promote-me').map((e) => e.status)
    const ours = statuses.findIndex((s) => s.controllerPause === true && s.pauseConditions === undefined && s.currentStepIndex === 1)
    expect(ours).toBeGreaterThan(0)
    expect(statuses[ours - 1]).toMatchObject({ pauseConditions: [{ reason: 'CanaryPauseStep' }], currentStepIndex: 1 })
    expect(statuses[ours]).toEqual({ ...statuses[ours - 1], pauseConditions: undefined })
    expect(statuses.at(-1)).toMatchObject({ currentStepIndex: 3, phase: 'Paused', pauseConditions: [{ reason: 'CanaryPauseStep' }] })

    const [create] = github.current.callsTo('checks/create')
    expect(create!.body).toMatchObject({ name: 'release-gate/rollout', head_sha: SHA, status: 'completed', conclusion: 'success' })
  })

  it('pass with promoteFull: the controller completes the rollout (Healthy, stable == current)', async () => {
    await pausedCanary('full')
    const { result } = await runRolloutStage(context(configDir('full', '  promoteFull: true\n')), upstream('pass'))
    expect(result.verdict).toBe('pass')
    expect(result.evidence).toMatchObject({ patches: [{ subresource: 'status', patch: { status: { promoteFull: true } } }], after: { phase: 'Healthy', completed: true } })
    expect(result.details).toContain('release check: not published (no GitHub context: no GITHUB_TOKEN)')
    const live = await admin.get<Rollout>(ROLLOUTS, ns, 'full')
    expect(live.status).toMatchObject({ currentStepIndex: 4, phase: 'Healthy' })
    expect(live.status?.promoteFull).toBeUndefined() // reset by the controller once stable
  })

  it('fail: aborts; the controller reports RolloutAborted; commit status failure on the released commit', async () => {
    await pausedCanary('abort-me')
    const ctx = context(configDir('abort-me', '  check: { type: commit-status, name: release-gate/rollout }\n'), githubEnv())
    const { result } = await runRolloutStage(ctx, upstream('fail'), fastGitHub)

    expect(result).toMatchObject({ verdict: 'fail', evidence: { decision: { action: 'abort' }, patches: [{ subresource: 'status', patch: { status: { abort: true } } }] } })
    expect(result.summary).toBe('aborted abort-me: Degraded (RolloutAborted: Rollout aborted update to revision 1), step 0/4, aborted')
    const live = await admin.get<Rollout>(ROLLOUTS, ns, 'abort-me')
    expect(rolloutState(live)).toMatchObject({ phase: 'Degraded', aborted: true })
    expect(live.status?.abortedAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    const [status] = github.current.callsTo('repos/create-commit-status')
    expect(status!.pathParams).toMatchObject({ owner: 'octocat', repo: 'Hello-World', sha: SHA })
    expect(status!.body).toMatchObject({ state: 'failure', context: 'release-gate/rollout', target_url: 'https://github.com/octocat/Hello-World/actions/runs/77' })
  })

  it('inconclusive gates (Prometheus answers 503): the CLI holds the rollout paused and exits 3', async () => {
    const before = await pausedCanary('hold-me')
    const prometheus = await FaultServer.start({ fallback: { kind: 'respond', status: 503, body: '{"status":"error","errorType":"unavailable","error":"down"}' } })
    try {
      const dir = configDir('hold-me', `prometheus: { url: ${prometheus.url}, timeout: 1s }
gates:
  interval: 1s
  count: 1
  consecutiveErrorLimit: 0
  checks:
    - { name: errors, kind: threshold, query: 'sum(up)', max: 1 }
`, 'gates, rollout')
      const run = await cli(['pipeline', '--format', 'json'], { cwd: dir })
      expect(run.code).toBe(3)
      const report = JSON.parse(run.stdout)
      expect(report.stages.map((s: { stage: string; verdict: string }) => [s.stage, s.verdict])).toEqual([['gates', 'inconclusive'], ['rollout', 'inconclusive']])
      const rollout = report.stages[1]
      expect(rollout.summary).toBe('held hold-me: Paused (CanaryPauseStep), step 1/4; not promoted')
      expect(rollout.evidence.decision.action).toBe('hold')
    } finally {
      await prometheus.close()
    }
    // Untouched: the same object, same resourceVersion, still waiting for promotion.
    const live = await admin.get<Rollout>(ROLLOUTS, ns, 'hold-me')
    expect(live.metadata.resourceVersion).toBe(before.metadata.resourceVersion)
  })

  it('the pipeline on the CLI: failing gates abort the canary (exit 1), passing gates promote it (exit 0)', async () => {
    await pausedCanary('pipeline-fail')
    await pausedCanary('pipeline-pass')
    const vector = (value: string) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1_700_000_000, value] }] } })
    for (const [name, value, code, action, phase] of [['pipeline-fail', '5', 1, 'abort', 'Degraded'], ['pipeline-pass', '0.5', 0, 'promote', 'Paused']] as const) {
      const prometheus = await FaultServer.start({ fallback: { kind: 'respond', status: 200, body: vector(value), headers: { 'content-type': 'application/json' } } })
      try {
        const dir = configDir(name, `prometheus: { url: ${prometheus.url}, timeout: 1s }
gates:
  interval: 1s
  count: 1
  checks:
    - { name: errors, kind: threshold, query: 'sum(up)', max: 1 }
`, 'gates, rollout')
        const run = await cli(['pipeline', '--format', 'json'], { cwd: dir })
        const report = JSON.parse(run.stdout)
        expect(report.stages.map((st: { stage: string }) => st.stage)).toEqual(['gates', 'rollout'])
        expect(run.code).toBe(code)
        expect(report.stages[1].evidence).toMatchObject({ decision: { action }, after: { phase } })
      } finally {
        await prometheus.close()
      }
    }
    expect(rolloutState(await admin.get<Rollout>(ROLLOUTS, ns, 'pipeline-fail'))).toMatchObject({ aborted: true })
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'pipeline-pass')).status?.currentStepIndex).toBe(3)
  })

  it('a 403 names the missing verb and resource (read-only grant: the list sees the pause, the patch is refused); nothing is promoted', async () => {
    await pausedCanary('limited')
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list'] }])
    const dir = configDir('limited')
    const configPath = path.join(dir, '.release-gate.yml')
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace(`kubeContext: ${ADMIN_CONTEXT}`, `kubeContext: ${LIMITED_CONTEXT}`))
    const limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })
    await expect.poll(() => limited.get(ROLLOUTS, ns, 'limited').then(() => true, () => false), { timeout: 5_000 }).toBe(true)

    const { result } = await runRolloutStage(context(dir), upstream('pass'))
    expect(result.verdict).toBe('inconclusive')
    expect(result.findings[0]).toMatchObject({
      rule: 'ROLLOUT_KUBE_API',
      message: `cannot patch rollouts.argoproj.io/status "limited" in namespace ${ns}: add verb patch on resource rollouts/status (apiGroups: ["argoproj.io"]) to the Role bound to user "release-gate-limited"`
    })
    expect(result.summary).toMatch(/^could not promote limited: cannot patch rollouts\.argoproj\.io\/status/)
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'limited')).status?.pauseConditions).toHaveLength(1)
  })

  it('the rollout CLI: status, promote --dry-run prints the exact patch, promote, wait --until step=3', async () => {
    await pausedCanary('cli')
    const dir = configDir('cli')
    const status = await cli(['rollout', 'status', '--format', 'json'], { cwd: dir })
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout).stages[0].summary).toBe('cli: Paused - CanaryPauseStep')

    const dry = await cli(['rollout', 'promote', '--dry-run'], { cwd: dir })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(
      `would send: PATCH rollouts.argoproj.io/cli/status in namespace ${ns} (application/merge-patch+json): {"status":{"pauseConditions":null}}`)
    expect((await admin.get<Rollout>(ROLLOUTS, ns, 'cli')).status?.pauseConditions).toHaveLength(1)

    const promote = await cli(['rollout', 'promote', '--format', 'json'], { cwd: dir })
    expect(promote.code).toBe(0)
    const wait = await cli(['rollout', 'wait', '--until', 'step=3', '--timeout', '10s', '--format', 'json'], { cwd: dir })
    expect(wait.code).toBe(0)
    expect(JSON.parse(wait.stdout).stages[0].summary).toMatch(/^cli reached step=3 after \d+ ms: Paused \(CanaryPauseStep\), step 3\/4$/)

    const timeout = await cli(['rollout', 'wait', '--until', 'healthy', '--timeout', '300ms'], { cwd: dir })
    expect(timeout.code).toBe(3)
    expect(timeout.stdout).toContain('did not reach healthy: not reached within 300ms; last seen Paused (CanaryPauseStep), step 3/4')

    const badUntil = await cli(['rollout', 'wait', '--until', 'soon'], { cwd: dir })
    expect(badUntil).toMatchObject({ code: 2, stderr: 'release-gate: --until: expected paused, healthy, degraded or step=N, got "soon"\n' })
  })

  it('a wait for a pause ends early on an aborted rollout: nothing is promoted, verdict fail', async () => {
    await pausedCanary('self-aborted')
    await admin.mergePatchStatus(ROLLOUTS, ns, 'self-aborted', { status: { abort: true } }) // as a failed analysis would
    await expect.poll(async () => rolloutState(await admin.get<Rollout>(ROLLOUTS, ns, 'self-aborted')).aborted, { timeout: 5_000 }).toBe(true)
    const { result } = await runRolloutStage(context(configDir('self-aborted')), upstream('pass'))
    expect(result.verdict).toBe('fail')
    expect(result.evidence).toMatchObject({ wait: { status: 'unreachable' } })
    expect(result.evidence).not.toHaveProperty('patches')
    expect(result.findings[0]).toMatchObject({ rule: 'ROLLOUT_NOT_PROMOTED', severity: 'error' })
  })
})
