import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHAOS_RESULTS, KubeClient, type KubeObject } from '../../src/kube/index.js'
import { chaosMeshDriver, litmusDriver } from '../../src/chaos/drivers/index.js'
import { chaosMeshType } from '../../src/chaos/drivers/chaos-mesh.js'
import type { toJsonReport } from '../../src/report/render/json.js'
import { cli } from '../cli/run.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { LitmusTestController } from '../controllers/litmus.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { TOKEN } from '../github/support.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { SliFixture, labelledObjects, writeChaosConfig } from './support.js'

const kube = kubeTestCluster()
const github = useOpenApiServer()

type JsonReport = ReturnType<typeof toJsonReport>

interface ChaosEvidence {
  experiments: {
    hypothesis: string
    target: { kind: string; namespaces: string[]; mode: string; value?: number; duration: string }
    name: string
    verdict: string
    object: { name: string; duration: string; uid: string }
    timeline: { atMs: number; phase: string; detail: string }[]
    guard: { verdict: string; observed: Record<string, number> }[]
    breach?: { stopMs: number; goneMs: number; measurement: { gate: string; observed: Record<string, number> } }
    cleanup: { state: string }
    events?: { warnings: { type: string; reason: string; message: string; about?: string }[] }
  }[]
}

describe.skipIf(!kube.available)('release-gate chaos run on a real API server', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let sli: SliFixture
  let chaosMesh: ChaosMeshTestController
  let litmus: LitmusTestController
  let dir: string
  let runs = 0

  beforeAll(async () => {
    ns = await createTestNamespace(cluster(), 'rg-chaos')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    sli = await SliFixture.start()
    const kubeConfig = kubeConfigFor(cluster(), ADMIN_CONTEXT)
    chaosMesh = new ChaosMeshTestController(admin, kubeConfig, ns, {
      pods: [1, 2, 3].map((i) => ({ namespace: ns, name: `checkout-${i}`, labels: { app: 'checkout' } })),
    })
    litmus = new LitmusTestController(admin, kubeConfig, ns)
    dir = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: sli.url })
  })

  afterAll(async () => {
    await chaosMesh?.stop()
    await litmus?.stop()
    await sli?.close()
  })

  async function chaosRun(experiment: string, options: { context?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    const runId = `t-${++runs}-${experiment}`.slice(0, 60)
    const args = ['chaos', 'run', '--experiment', experiment, '--run-id', runId, '--format', 'json', '--environment', 'staging']
    const run = await cli(args, { cwd: options.cwd ?? dir, env: { GITHUB_REF_NAME: 'main', ...options.env } })
    const report = run.stdout ? (JSON.parse(run.stdout) as JsonReport) : undefined
    const stage = report?.stages[0]
    return { ...run, runId, report, stage, findings: report?.findings ?? [], evidence: stage?.evidence as ChaosEvidence | undefined }
  }

  it('passes a NetworkChaos that selects, injects and recovers, with the duration and labels it was given, and deletes it', async () => {
    sli.value = 0.01
    const run = await chaosRun('net-delay')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const experiment = run.evidence!.experiments[0]!
    expect(experiment.verdict).toBe('pass')
    expect(experiment.object.duration).toBe('2s')
    const phases = experiment.timeline.map((e) => e.phase)
    expect(phases[0]).toBe('Created')
    expect(phases).toContain('AllInjected')
    expect(phases.indexOf('AllRecovered')).toBeGreaterThan(phases.indexOf('AllInjected'))
    expect(phases.at(-1)).toBe('Deleted')
    // Recovery came from the controller's duration, not from us: no stop request.
    expect(phases).not.toContain('StopRequested')
    expect(experiment.guard.length).toBeGreaterThan(0)
    expect(experiment.guard.every((m) => m.verdict === 'pass')).toBe(true)
    expect(experiment).toMatchObject({ hypothesis: 'checkout keeps its error rate under 5%', target: { kind: 'NetworkChaos', namespaces: [ns], mode: 'fixed', value: 1, duration: '2s' } })
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('FAILS when nothing is selected, and leaves nothing behind', async () => {
    const run = await chaosRun('nothing-selected')
    expect(run.code).toBe(1)
    expect(run.stage!.verdict).toBe('fail')
    expect(run.findings[0]).toMatchObject({ rule: 'CHAOS_VERDICT', message: expect.stringContaining('nothing was selected and injected within 1000 ms (NotSelected') })
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('FAILS on a guard breach: pauses and deletes the experiment at once, naming the SLI and its value', async () => {
    sli.value = 0.01
    const running = chaosRun('net-delay-long')
    // Breach once the fault is in: the error rate jumps to 42 %.
    const injectedAt = await waitFor(async () => {
      const items = (await admin.list(chaosMeshType('NetworkChaos'), ns)).items
      return items.find((o) => o.metadata.labels?.['release-gate/experiment'] === 'net-delay-long' && conditionTrue(o, 'AllInjected'))
    })
    const breachVisible = Date.now()
    sli.value = 0.42
    const run = await running
    const finishedAfter = Date.now() - breachVisible
    sli.value = 0.01
    expect(run.code).toBe(1)
    expect(run.findings[0]).toMatchObject({ rule: 'CHAOS_GUARD', message: expect.stringMatching(/SLO guard breached — error-rate: fail \(value 0\.420*, max 0\.050*\) — 0\.42 is above max 0\.05$/) })
    const experiment = run.evidence!.experiments[0]!
    const phases = experiment.timeline.map((e) => e.phase)
    expect(phases.slice(-3)).toEqual(['GuardBreach', 'StopRequested', 'Deleted'])
    expect(experiment.breach!.measurement).toMatchObject({ gate: 'error-rate', observed: { value: 0.42, max: 0.05 } })
    // Guard every 200 ms: from the bad value being served to the object gone well under 2 s.
    expect(finishedAfter).toBeLessThan(2_000)
    await expect(admin.get(chaosMeshType('NetworkChaos'), ns, injectedAt.metadata.name)).rejects.toMatchObject({ code: 404 })
    console.info(`[chaos] breach visible → experiment gone: ${finishedAfter} ms (stop acknowledged ${experiment.breach!.stopMs} ms, gone ${experiment.breach!.goneMs} ms after the failing measurement)`)
  })

  it('passes a one-shot pod-kill once injected (it never shows recovered) and deletes it', async () => {
    sli.value = 0.01
    const run = await chaosRun('pod-kill')
    expect(run.code).toBe(0)
    const experiment = run.evidence!.experiments[0]!
    expect(experiment.timeline.find((e) => e.phase === 'AllInjected')?.detail).toContain('one-shot pod-kill done on 1 target(s)')
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('prints hypothesis, target, blast radius, timeline, guard values and verdict for a person', async () => {
    sli.value = 0.01
    const run = await cli(['chaos', 'run', '--experiment', 'pod-kill', '--run-id', 'text-1', '--environment', 'staging', '--format', 'text'], { cwd: dir, env: { GITHUB_REF_NAME: 'main' } })
    expect(run.code).toBe(0)
    const text = run.stdout.replace(/\x1b\[[0-9;]*m/g, '')
    expect(text).toContain('chaos     PASS         1 experiment(s) passed (injected, guard held) and removed')
    expect(text).toContain('experiment pod-kill: PASS — one-shot pod-kill done on 1 target(s)')
    expect(text).toContain('hypothesis: checkout keeps its error rate under 5%')
    expect(text).toMatch(new RegExp(`target: PodChaos ${ns}/pod-kill-[0-9a-f]{6} → ${ns}; blast radius one; duration 30s`))
    expect(text).toMatch(/timeline:[\s│]+\+0\.\ds Created: PodChaos/)
    expect(text).toMatch(/guard: error-rate every 200ms, \d+ measurement\(s\)[\s│]+\S+Z error-rate: pass \(value 0\.01/)
  })

  it('is inconclusive, not a pass, when the guard could never measure (Prometheus unreachable)', async () => {
    const unreachable = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: 'http://127.0.0.1:1' })
    const started = Date.now()
    const run = await chaosRun('net-delay', { cwd: unreachable })
    expect(run.code).toBe(3)
    expect(run.findings[0]).toMatchObject({ rule: 'CHAOS_VERDICT', message: expect.stringContaining('but the guard (error-rate) never produced a passing measurement') })
    expect(run.evidence!.experiments[0]!.guard.every((m) => m.verdict === 'error')).toBe(true)
    // An in-flight, retrying query does not hold up the end of the run.
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('refuses an experiment outside the policy with a clear reason, creating nothing', async () => {
    const run = await chaosRun('outside')
    expect(run.code).toBe(1)
    expect(run.findings).toEqual([expect.objectContaining({ rule: 'ADMISSION_NAMESPACE', message: `outside: the selectors reach prod, outside the allowed namespaces (${ns}, ${ns}-b)`, path: 'outside.yaml' })])
    expect(await labelledObjects(admin, 'prod', run.runId).catch(() => [])).toEqual([])
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('refuses a real run whose required approvals cannot be read from GitHub, and says how to fix it', async () => {
    const withApprovals = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: sli.url }, { approvals: true })
    const run = await chaosRun('net-delay', { cwd: withApprovals })
    expect(run.code).toBe(1)
    expect(run.findings[0]).toMatchObject({
      rule: 'ADMISSION_APPROVALS',
      message: 'net-delay: 1 approval(s) from @alice are required, and they could not be checked: approvals are read from GitHub, but GITHUB_TOKEN is not set',
      help: 'run inside GitHub Actions with the github-token input, or set GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_SHA for the CLI'
    })
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('runs once the required approver approved the PR\'s latest commit, and records who', async () => {
    const server = github.current
    const head = '0123456789abcdef0123456789abcdef01234567'
    server.respondTo('repos/list-pull-requests-associated-with-commit', () => {
      const [example] = server.example<Record<string, unknown>[]>('repos/list-pull-requests-associated-with-commit')
      return { body: [{ ...example!, number: 5, merge_commit_sha: head, requested_teams: [], head: { ...(example!.head as object), sha: 'f'.repeat(40) } }] }
    })
    server.respondTo('pulls/list-reviews', () => {
      const [example] = server.example<Record<string, unknown>[]>('pulls/list-reviews')
      return { body: [{ ...example!, state: 'APPROVED', commit_id: 'f'.repeat(40), user: { ...(example!.user as object), login: 'alice' } }] }
    })
    sli.value = 0.01
    const withApprovals = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT, namespace: ns, prometheusUrl: sli.url }, { approvals: true })
    const run = await chaosRun('net-delay', {
      cwd: withApprovals,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: head, GITHUB_API_URL: server.baseUrl }
    })
    expect(run.code).toBe(0)
    expect(run.stage?.verdict).toBe('pass')
    expect(server.callsTo('pulls/list-reviews').map((c) => c.pathParams.pull_number)).toEqual(['5'])
    expect(run.stage?.evidence.admission).toEqual([{ experiment: 'net-delay', decisions: expect.arrayContaining([
      { rule: 'ADMISSION_APPROVALS', outcome: 'allow', detail: '1 of 1 required approval(s) from @alice: approved by @alice (review of #5, counts as @alice)' }]) }])
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('names the missing verb and resource when the identity may not create the chaos kind', async () => {
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['chaos-mesh.org'], resources: ['networkchaos'], verbs: ['get', 'list', 'watch'] }])
    const limited = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT, namespace: ns, prometheusUrl: sli.url })
    const run = await chaosRun('net-delay', { cwd: limited })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(3)
    expect(run.findings).toEqual([expect.objectContaining({
      rule: 'CHAOS_KUBE',
      message: expect.stringMatching(/^net-delay: could not create the experiment: cannot create networkchaos\.chaos-mesh\.org "net-delay-[0-9a-f]{6}" in namespace rg-chaos-\w+: add verb create on resource networkchaos \(apiGroups: \["chaos-mesh\.org"\]\) to the Role bound to user "release-gate-limited"$/),
    })])
  })

  it('adds, for a refused Chaos Mesh create, that the webhook wants create in every target namespace', async () => {
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['chaos-mesh.org'], resources: ['networkchaos'], verbs: ['get', 'list', 'watch'] }])
    const limited = writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT, namespace: ns, prometheusUrl: sli.url })
    const run = await chaosRun('two-namespaces', { cwd: limited })
    expect(run.code).toBe(3)
    expect(run.findings[0]!.message).toMatch(new RegExp(`to the Role bound to user "release-gate-limited" \\(Chaos Mesh's webhook also requires create on networkchaos in ${ns}-b, every namespace the selectors reach\\)$`))
  })

  it('Litmus: passes Completed/Pass, and deletes the uniquely named engine', async () => {
    sli.value = 0.01
    const run = await chaosRun('litmus-pass')
    expect(run.code).toBe(0)
    const experiment = run.evidence!.experiments[0]!
    expect(experiment.object.name).toMatch(/^checkout-[0-9a-f]{6}$/)
    expect(experiment.timeline.map((e) => e.phase)).toEqual(expect.arrayContaining(['Created', 'Running', 'Completed', 'Deleted']))
    expect(experiment.timeline.find((e) => e.phase === 'Completed')!.detail).toContain(`${experiment.object.name}-pod-delete: phase Completed, verdict Pass`)
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it.each([
    ['litmus-probe-failure', 'phase Completed_With_Probe_Failure, verdict Fail; failed probes: error-rate-slo (promProbe, Continuous)'],
    ['litmus-stop-on-failure', 'phase Stopped, verdict Stopped; stopped by failed probe(s): error-rate-slo'],
    ['litmus-no-target', 'nothing was selected (TARGET_SELECTION_ERROR: no target pods found)'],
  ])('Litmus: %s FAILS with the reason from the ChaosResult, and its Warning event', async (experiment, reason) => {
    const run = await chaosRun(experiment)
    expect(run.code).toBe(1)
    expect(run.findings[0]).toMatchObject({ rule: 'CHAOS_VERDICT', message: expect.stringContaining(reason) })
    // The experiment records its verdict on the ChaosResult, which the report reads next to the engine.
    const [result] = (await admin.list(CHAOS_RESULTS, ns, { labelSelector: `chaosUID=${run.evidence!.experiments[0]!.object.uid}` })).items
    const verdict = { 'litmus-probe-failure': 'Fail', 'litmus-stop-on-failure': 'Stopped', 'litmus-no-target': 'Error' }[experiment]
    expect(run.evidence!.experiments[0]!.events!.warnings).toContainEqual(expect.objectContaining({ type: 'Warning', reason: verdict, about: `ChaosResult/${result!.metadata.name}` }))
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
  })

  it('Litmus: a guard breach sets engineState=stop at once, then deletes the engine', async () => {
    sli.value = 0.01
    const running = chaosRun('litmus-hang')
    await waitFor(async () => (await admin.list(litmusDriver.resourceTypes[0]!, ns)).items.find((o) => o.metadata.labels?.['release-gate/experiment'] === 'litmus-hang' && (o.status as { engineStatus?: string } | undefined)?.engineStatus === 'initialized'))
    const breachVisible = Date.now()
    sli.value = 0.3
    const run = await running
    const finishedAfter = Date.now() - breachVisible
    sli.value = 0.01
    expect(run.code).toBe(1)
    expect(run.findings[0]).toMatchObject({ rule: 'CHAOS_GUARD', message: expect.stringContaining('error-rate: fail (value 0.3') })
    expect(run.evidence!.experiments[0]!.timeline.map((e) => e.phase).slice(-3)).toEqual(['GuardBreach', 'StopRequested', 'Deleted'])
    expect(finishedAfter).toBeLessThan(2_000)
    expect(await labelledObjects(admin, ns, run.runId)).toEqual([])
    console.info(`[chaos] litmus breach visible → engine gone: ${finishedAfter} ms`)
  })

  it('force-cleans as the last resort when recovery never completes, and reports it', async () => {
    const stuckNs = await createTestNamespace(cluster(), 'rg-stuck')
    const stuck = new ChaosMeshTestController(admin, kubeConfigFor(cluster(), ADMIN_CONTEXT), stuckNs, { pods: [{ namespace: stuckNs, name: 'p', labels: { app: 'a' } }], failRecover: true })
    try {
      const type = chaosMeshType('PodChaos')
      await admin.create(type, stuckNs, { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'fail', namespace: stuckNs }, spec: { action: 'pod-failure', mode: 'one', duration: '1m', selector: { labelSelectors: { app: 'a' } } } })
      await waitFor(async () => conditionTrue(await admin.get(type, stuckNs, 'fail'), 'AllInjected'))
      const result = await chaosMeshDriver.cleanup(admin, { type, kind: 'PodChaos', namespace: stuckNs, name: 'fail' }, 500)
      expect(result).toMatchObject({ state: 'forced', detail: expect.stringContaining('force-clean') })
      await expect(admin.get(type, stuckNs, 'fail')).rejects.toMatchObject({ code: 404 })
    } finally {
      await stuck.stop()
    }
  })
})

function conditionTrue(object: KubeObject, type: string): boolean {
  return ((object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === type && c.status === 'True')
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
