/**
 * The release workflow end to end: workflows/release-branch.yml calling .github/workflows/release-gate.yml
 * with examples/release/.release-gate.yml, every release-gate step run as the bundled action, against a
 * real kube-apiserver (test-played Argo Rollouts and Chaos Mesh controllers, an identity holding only the
 * README's Roles), a real Prometheus scraping a canary, and GitHub's OpenAPI description.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CoreV1Api, type V1PolicyRule } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { KubeClient, ROLLOUTS } from '../../src/kube/index.js'
import { rolloutState, type Rollout } from '../../src/rollout/phase.js'
import { waitForRollout } from '../../src/rollout/wait.js'
import { REPO } from '../cli/run.js'
import { ArgoRolloutsTestController, canaryRollout, deployImage } from '../controllers/argo-rollouts.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { TOKEN } from '../github/support.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, grantLimitedUser, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { serveMetrics, type MetricsEndpoint } from '../infra/prometheus/exporter.js'
import { PROMETHEUS_BINARIES, requireBinaries, startPrometheus, type ServerProcess } from '../infra/prometheus/harness.js'
import { runCallerWorkflow, type WorkflowRun } from './workflow-runner.js'

const EXAMPLE = path.join(REPO, 'examples/release')
const config = parse(readFileSync(path.join(EXAMPLE, '.release-gate.yml'), 'utf8')) as { prometheus: { url: string }; rollout: { name: string; namespace: string } }
const NS = config.rollout.namespace
const ROLLOUT = config.rollout.name
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

const kube = kubeTestCluster()
const hasPrometheus = requireBinaries(PROMETHEUS_BINARIES, 'the release workflow end to end')
const github = useOpenApiServer()

/**
 * The service's /metrics for both tracks: 200 requests a second each, 0.1% of them 5xx, latencies
 * uniform up to 400 ms times the track's scale. Counters follow wall time, so rates are exact.
 */
class CanaryExporter {
  canaryScale = 1
  private readonly buckets = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5]
  private readonly totals = { canary: { at: Date.now(), count: 0, buckets: new Array<number>(10).fill(0) }, stable: { at: Date.now(), count: 0, buckets: new Array<number>(10).fill(0) } }
  private endpoint!: MetricsEndpoint

  static async start(): Promise<CanaryExporter> {
    const exporter = new CanaryExporter()
    exporter.endpoint = await serveMetrics(() => exporter.exposition())
    return exporter
  }

  scrapeConfig(): string {
    return this.endpoint.scrapeConfig('checkout', '1s')
  }

  /** Brings the counters up to now at the current scales, so a change of scale starts where it is made. */
  advance(): void {
    for (const track of ['canary', 'stable'] as const) {
      const t = this.totals[track]
      const now = Date.now()
      const requests = ((now - t.at) / 1000) * 200
      t.at = now
      t.count += requests
      const max = 0.4 * (track === 'canary' ? this.canaryScale : 1)
      this.buckets.forEach((le, i) => (t.buckets[i]! += requests * Math.min(1, le / max)))
    }
  }

  private exposition(): string {
    this.advance()
    const lines = ['# TYPE http_requests_total counter', '# TYPE http_request_duration_seconds histogram']
    for (const track of ['canary', 'stable'] as const) {
      const t = this.totals[track]
      const labels = `namespace="${NS}",service="checkout",track="${track}"`
      lines.push(`http_requests_total{${labels},code="200"} ${t.count * 0.999}`, `http_requests_total{${labels},code="503"} ${t.count * 0.001}`)
      this.buckets.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${t.buckets[i]}`))
      lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${t.count}`, `http_request_duration_seconds_count{${labels}} ${t.count}`)
    }
    return lines.join('\n') + '\n'
  }

  close(): Promise<void> {
    return this.endpoint.close()
  }
}

/** The Roles the README gives for the Chaos Mesh driver and the rollout stage, as written there. */
function readmeRoles(): V1PolicyRule[] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
  const rules = blocks.flatMap((b) => parseAllDocuments(b).map((d) => d.toJS() as { rules?: V1PolicyRule[] })).flatMap((d) => d?.rules ?? [])
  const chaosMesh = rules.filter((r) => r.apiGroups?.includes('chaos-mesh.org') || r.resources?.includes('events'))
  const rollout = rules.filter((r) => r.apiGroups?.includes('argoproj.io'))
  if (chaosMesh.length === 0 || rollout.length === 0) throw new Error('README.md no longer gives the Chaos Mesh and rollout Roles')
  return [...chaosMesh, ...rollout]
}

describe.skipIf(!kube.available || !hasPrometheus)('the release workflow end to end (README snippet, reusable workflow, examples/release)', () => {
  const cluster = kube.use()
  let admin: KubeClient
  let rollouts: ArgoRolloutsTestController
  let chaosMesh: ChaosMeshTestController
  let exporter: CanaryExporter
  let prometheus: ServerProcess
  let kubeconfigSecret: string
  let runs = 0

  beforeAll(async () => {
    exporter = await CanaryExporter.start()
    prometheus = await startPrometheus({
      port: Number(new URL(config.prometheus.url).port),
      config: exporter.scrapeConfig()
    })
    const kubeConfig = kubeConfigFor(cluster(), ADMIN_CONTEXT)
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } }).catch((error: { code?: number }) => {
      if (error.code !== 409) throw error // left by an earlier run on an external cluster
    })
    await grantLimitedUser(cluster(), NS, readmeRoles())
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    rollouts = ArgoRolloutsTestController.start(admin, NS)
    chaosMesh = new ChaosMeshTestController(admin, kubeConfig, NS, { pods: [1, 2, 3].map((i) => ({ namespace: NS, name: `checkout-${i}`, labels: { app: 'checkout' } })) })
    // The secret the workflow writes to $RUNNER_TEMP/kubeconfig: the limited identity only.
    const limited = kubeConfigFor(cluster(), LIMITED_CONTEXT)
    kubeconfigSecret = limited.exportConfig()
    // A rate over 10 s needs a few scrapes: wait until both tracks have one.
    const deadline = Date.now() + 30_000
    for (;;) {
      const body = new URLSearchParams({ query: `count(rate(http_requests_total{namespace="${NS}"}[10s]) > 0)` })
      const answer = (await (await fetch(`${prometheus.url}/api/v1/query`, { method: 'POST', body })).json()) as { data: { result: { value: [number, string] }[] } }
      if (Number(answer.data.result[0]?.value[1] ?? 0) >= 4) break
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape the canary within 30 s:\n${prometheus.log()}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }, 60_000)

  afterAll(async () => {
    await chaosMesh?.stop()
    await rollouts?.stop()
    await prometheus?.stop()
    await exporter?.close()
  })

  /** v1 stable, v2 deployed and paused at the first pause step, as after `kubectl argo rollouts set image`. */
  async function pausedCanary(): Promise<void> {
    await admin.delete(ROLLOUTS, NS, ROLLOUT).catch(() => undefined)
    for (let i = 0; (await admin.get(ROLLOUTS, NS, ROLLOUT).then(() => true, () => false)) && i < 100; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    await admin.create(ROLLOUTS, NS, canaryRollout(ROLLOUT, NS, { app: 'checkout', image: 'registry.example/checkout:1.3' }))
    expect((await waitForRollout(admin, NS, ROLLOUT, { kind: 'healthy' }, { timeoutMs: 10_000 })).status).toBe('reached')
    await deployImage(admin, NS, ROLLOUT, 'registry.example/checkout:1.4')
    expect((await waitForRollout(admin, NS, ROLLOUT, { kind: 'paused' }, { timeoutMs: 10_000 })).status).toBe('reached')
  }

  async function release(beforeJob?: (id: string) => Promise<void>): Promise<WorkflowRun> {
    const workspace = mkdtempSync(path.join(tmpdir(), 'rg-e2e-checkout-'))
    cpSync(EXAMPLE, workspace, { recursive: true })
    const event = path.join(mkdtempSync(path.join(tmpdir(), 'rg-e2e-event-')), 'event.json')
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/release/1.4', after: SHA, repository: { id: 1296269, full_name: 'octocat/Hello-World' } }))
    const server = github.current
    // A required reviewer of the staging environment approved this run's deployment to it.
    server.respondTo('actions/get-reviews-for-run', () => {
      const [example] = server.example<Record<string, unknown>[]>('actions/get-reviews-for-run')
      return { body: [{ ...example!, state: 'approved', user: { ...(example!.user as object), login: 'sre-lead' }, environments: [{ ...(example!.environments as object[])[0], name: 'staging' }] }] }
    })
    server.respondTo('repos/list-pull-requests-associated-with-commit', () => ({ body: [] }))
    return runCallerWorkflow({
      caller: 'workflows/release-branch.yml',
      callerJob: 'release',
      workspace,
      token: TOKEN,
      secrets: { KUBECONFIG_STAGING: kubeconfigSecret, KUBECONFIG_PRODUCTION: kubeconfigSecret, PROMETHEUS_TOKEN: 'prometheus-token-not-checked' },
      github: {
        GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/release/1.4', GITHUB_REF_NAME: 'release/1.4',
        GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, GITHUB_RUN_ID: String(9000 + ++runs), GITHUB_RUN_ATTEMPT: '1',
        GITHUB_WORKFLOW: 'release-branch', GITHUB_API_URL: server.baseUrl, GITHUB_SERVER_URL: 'https://github.com'
      },
      ...(beforeJob ? { beforeJob } : {})
    })
  }

  const gateStep = (run: WorkflowRun, job: string) => run.job(job).steps.find((s) => s.kind === 'release-gate')!
  const report = (run: WorkflowRun, job: string) => JSON.parse(readFileSync(gateStep(run, job).outputs.report!, 'utf8')) as { verdict: string; stages: { stage: string; verdict: string; summary: string }[] }
  const checkRuns = () => github.current.callsTo('checks/create').map((c) => c.body as { name: string; head_sha: string; conclusion?: string; output?: { annotations?: { path: string; start_line: number; title?: string; message: string }[] } })
  const live = () => admin.get<Rollout>(ROLLOUTS, NS, ROLLOUT)
  const describeRun = (run: WorkflowRun) => run.jobs.map((j) => `${j.id}: ${j.result}\n${j.steps.map((s) => `${s.stdout}\n${s.stderr}`).join('\n')}`).join('\n')

  it('healthy canary: contract, chaos on staging and the canary gates pass; the rollout is promoted; every check is green', async () => {
    exporter.canaryScale = 1
    await pausedCanary()
    const run = await release()
    expect(run.jobs.map((j) => [j.id, j.result, j.environment]), describeRun(run)).toEqual([['contract', 'success', undefined], ['chaos', 'success', 'staging'], ['rollout', 'success', 'prod']])
    expect(report(run, 'chaos').stages).toEqual([expect.objectContaining({ stage: 'chaos', verdict: 'pass' })])
    expect(report(run, 'rollout').stages.map((s) => [s.stage, s.verdict])).toEqual([['gates', 'pass'], ['rollout', 'pass']])
    expect(run.job('rollout').outputs.verdict).toBe('pass')
    expect(gateStep(run, 'rollout').outputs['exit-code']).toBe('0')

    expect(rolloutState(await live())).toMatchObject({ phase: 'Paused', stepIndex: 3, aborted: false })
    const checks = checkRuns()
    expect(checks.map((c) => [c.name, c.conclusion])).toEqual([
      ['release-gate findings', 'success'], ['release-gate findings', 'success'], ['release-gate', 'success'], ['release-gate findings', 'success']
    ])
    expect(checks.every((c) => c.head_sha === SHA)).toBe(true)
    // The chaos job's post step found nothing of its run left to clean up.
    expect(gateStep(run, 'chaos').post?.exitCode).toBe(0)
    expect(await admin.list({ group: 'chaos-mesh.org', version: 'v1alpha1', plural: 'networkchaos' }, NS, { labelSelector: 'release-gate/run-id' }).then((l) => l.items)).toEqual([])
  }, 90_000)

  it('P99 regression on the canary: the rollout job fails on p99-latency, the rollout is aborted, the check is red with an annotation, the summary charts the gate', async () => {
    exporter.advance()
    exporter.canaryScale = 1.2 // 20% slower: the histogram P99 reads about 25% above stable
    await pausedCanary()
    const run = await release()
    expect(run.jobs.map((j) => [j.id, j.result]), describeRun(run)).toEqual([['contract', 'success'], ['chaos', 'success'], ['rollout', 'failure']])
    const gate = gateStep(run, 'rollout')
    expect(gate.outputs).toMatchObject({ verdict: 'fail', 'exit-code': '1' })
    expect(report(run, 'rollout').stages.map((s) => [s.stage, s.verdict])).toEqual([['gates', 'fail'], ['rollout', 'fail']])

    const state = rolloutState(await live())
    expect(state).toMatchObject({ phase: 'Degraded', aborted: true })

    const configText = readFileSync(path.join(EXAMPLE, '.release-gate.yml'), 'utf8').split('\n')
    const gateLine = configText.findIndex((l) => l.includes('name: p99-latency')) + 1
    const findings = checkRuns().find((c) => c.name === 'release-gate findings' && c.conclusion === 'failure')
    expect(findings?.output?.annotations).toEqual(expect.arrayContaining([expect.objectContaining({ path: '.release-gate.yml', start_line: gateLine, message: expect.stringContaining('p99-latency') })]))
    expect(checkRuns().find((c) => c.name === 'release-gate')?.conclusion).toBe('failure')
    expect(gate.stdout).toMatch(new RegExp(`::error file=\\.release-gate\\.yml,line=${gateLine},.*p99-latency`))
    expect(gate.summary).toContain('p99-latency')
    expect(gate.summary).toContain('xychart-beta')
    expect(gate.summary).toMatch(/aborted/)
  }, 90_000)

  it('Prometheus outage during the canary: inconclusive, the rollout is held at its step, exit code 3', async () => {
    exporter.canaryScale = 1
    await pausedCanary()
    const run = await release(async (job) => {
      if (job === 'rollout') await prometheus.stop()
    })
    expect(run.jobs.map((j) => [j.id, j.result]), describeRun(run)).toEqual([['contract', 'success'], ['chaos', 'success'], ['rollout', 'failure']])
    const gate = gateStep(run, 'rollout')
    expect(gate.outputs).toMatchObject({ verdict: 'inconclusive', 'exit-code': '3' })
    expect(report(run, 'rollout').stages.map((s) => [s.stage, s.verdict])).toEqual([['gates', 'inconclusive'], ['rollout', 'inconclusive']])
    expect(rolloutState(await live())).toMatchObject({ phase: 'Paused', stepIndex: 1, aborted: false })
    // action_required blocks a required check like failure, and says a person must look.
    expect(checkRuns().filter((c) => c.name === 'release-gate' || c.conclusion === 'action_required').map((c) => [c.name, c.conclusion])).toEqual([
      ['release-gate', 'action_required'], ['release-gate findings', 'action_required']
    ])
    expect(gate.summary).toMatch(/held/)
  }, 90_000)
})
