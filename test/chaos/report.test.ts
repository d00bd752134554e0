import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { V1PolicyRule } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { chaosMeshType } from '../../src/chaos/drivers/chaos-mesh.js'
import { execute } from '../../src/pipeline.js'
import { KubeClient, type KubeObject } from '../../src/kube/index.js'
import { renderSummary } from '../../src/report/render/summary.js'
import type { Report } from '../../src/report/findings.js'
import { REPO, cli } from '../cli/run.js'
import { ChaosMeshTestController } from '../controllers/chaos-mesh.js'
import { ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeConfigFor, kubeTestCluster } from '../infra/kube/test-cluster.js'
import { GrafanaFixture } from './grafana-server.js'
import { SliFixture, labelledObjects, writeChaosConfig, type ChaosConfigExtras } from './support.js'

const kube = kubeTestCluster()
const TOKEN = 'glsa_report_test_token_5f2c'

interface ExperimentEvidence {
  verdict: string
  times: { started: number; injected?: number; gone: number }
  guard: { gate: string; verdict: string; observed: Record<string, number> }[]
  events?: { warnings: { type: string; reason: string; message: string; count: number }[]; omitted: number; note?: string }
  annotation?: { ok: boolean; id?: number; time?: number; timeEnd?: number; error?: string }
}

/** The Chaos Mesh Role as the README gives it (the YAML block after "Minimal Roles"), optionally without its events rule. */
function readmeChaosMeshRole(withEvents: boolean): V1PolicyRule[] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8')
  const block = /Minimal Roles\. Chaos Mesh[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1]
  if (!block) throw new Error('README.md no longer gives the Chaos Mesh Role after "Minimal Roles. Chaos Mesh"')
  const rules = (parse(block) as { rules: V1PolicyRule[] }).rules
  return withEvents ? rules : rules.filter((r) => !r.resources?.includes('events'))
}

describe.skipIf(!kube.available)('the chaos report: guard chart, events, Grafana annotation, select timeout', () => {
  const cluster = kube.use()
  let ns: string
  let admin: KubeClient
  let sli: SliFixture
  let grafana: GrafanaFixture
  let controller: ChaosMeshTestController
  let runs = 0

  beforeAll(async () => {
    ns = await createTestNamespace(cluster(), 'rg-report')
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    sli = await SliFixture.start()
    grafana = await GrafanaFixture.start()
    controller = new ChaosMeshTestController(admin, kubeConfigFor(cluster(), ADMIN_CONTEXT), ns, {
      pods: [1, 2].map((i) => ({ namespace: ns, name: `checkout-${i}`, labels: { app: 'checkout' } })),
    })
  })

  afterAll(async () => {
    await controller?.stop()
    await sli?.close()
    await grafana?.close()
  })

  const configDir = (extra: ChaosConfigExtras = {}, context = ADMIN_CONTEXT) =>
    writeChaosConfig({ kubeconfigPath: cluster().kubeconfigPath, context, namespace: ns, prometheusUrl: sli.url }, extra)

  /** The run as the action sees it: a Report, rendered into the job summary. */
  async function chaosReport(dir: string, experiment: string, env: NodeJS.ProcessEnv = {}) {
    const runId = `rep-${++runs}`
    const report: Report = await execute({ name: 'chaos', experiment }, {
      cwd: dir, configPath: '.release-gate.yml', configRequired: true, environment: 'staging', dryRun: false, format: 'json', runId, env: { GITHUB_REF_NAME: 'main', ...env },
    })
    const stage = report.stages[0]!
    const evidence = (stage.evidence as { experiments: ExperimentEvidence[] }).experiments[0]!
    return { runId, report, stage, evidence, summary: renderSummary(report) }
  }

  it('puts the guard SLI chart with its limit, the timeline and the breach into the job summary', async () => {
    sli.value = 0.01
    const dir = configDir()
    const running = chaosReport(dir, 'net-delay-long')
    await waitFor(async () => (await admin.list(chaosMeshType('NetworkChaos'), ns)).items.find((o) => o.metadata.labels?.['release-gate/experiment'] === 'net-delay-long' && conditionTrue(o, 'AllInjected')))
    // Two passing measurements on the chart before the breach.
    const passing = sli.queries + 2
    await waitFor(async () => sli.queries >= passing)
    sli.value = 0.42
    const { summary, stage, evidence } = await running
    sli.value = 0.01
    expect(stage.verdict).toBe('fail')

    const section = summary.slice(summary.indexOf('### chaos'))
    expect(section).toContain('#### ❌ net-delay-long: fail')
    expect(section).toContain('- hypothesis: checkout keeps its error rate under 5%')
    expect(section).toMatch(new RegExp(`- target: NetworkChaos ${ns}/net-delay-[0-9a-f]{6} → ${ns}; blast radius fixed 1; duration 30s`))
    expect(section).toMatch(/\| \+0\.\ds \| Created \| NetworkChaos /)
    expect(section).toMatch(/\| \+\d+\.\ds \| GuardBreach \| error-rate: fail \(value 0\.42/)

    // The chart plots every guard measurement's value, then the limit as its own line.
    const values = evidence.guard.filter((m) => m.gate === 'error-rate').map((m) => m.observed.value)
    expect(values.at(-1)).toBe(0.42)
    expect(values.filter((v) => v === 0.01).length).toBeGreaterThanOrEqual(2)
    const chart = /```mermaid\nxychart-beta\n {2}title "error-rate: value \/ max"\n {2}x-axis \[(.*)\]\n {2}line \[(.*)\]\n {2}line \[(.*)\]\n```/.exec(section)
    expect(chart, section).not.toBeNull()
    expect(chart![1]!.split(', ')).toHaveLength(values.length)
    expect(chart![1]).toMatch(/^"\+\d+\.\ds"/)
    expect(chart![2]).toBe(values.join(', '))
    expect(chart![3]).toBe(values.map(() => '0.05').join(', '))
    expect(section).toMatch(/Guard error-rate \(threshold\), lines in order: value, max\. Breached at \+\d+\.\ds \(the last point\): value 0\.42, max 0\.05 — 0\.42 is above max 0\.05; stop acknowledged \d+ ms and experiment gone \d+ ms after that measurement\./)
    // The Applied events are Normal: a breach lists no Warning events.
    expect(evidence.events).toEqual({ warnings: [], omitted: 0 })
  })

  it("reads the controller's Warning event when nothing is selected, within the configured selectTimeout", async () => {
    const dir = configDir({ experimentKeys: { 'nothing-selected': { selectTimeout: '300ms' } } })
    const { stage, evidence, summary, runId } = await chaosReport(dir, 'nothing-selected')
    expect(stage.verdict).toBe('fail')
    expect(stage.findings[0]).toMatchObject({ rule: 'CHAOS_VERDICT', message: expect.stringContaining('nothing was selected and injected within 300 ms') })
    expect(evidence.events).toEqual({ warnings: [expect.objectContaining({ type: 'Warning', reason: 'Failed', message: 'Failed to select targets: no target has been selected', count: 1 })], omitted: 0 })
    expect(stage.details).toContainEqual(expect.stringMatching(/^ {4}\S+Z Failed: Failed to select targets: no target has been selected$/))
    expect(summary).toMatch(/Warning events on NetworkChaos rg-report-\w+\/nothing-[0-9a-f]{6}:\n\n- `\d\d:\d\d:\d\d` Failed: Failed to select targets: no target has been selected/)
    expect(await labelledObjects(admin, ns, runId)).toEqual([])
  })

  it('reads events with the README Role, and without list on events only notes it, never failing the run', async () => {
    const dir = configDir({ experimentKeys: { 'nothing-selected': { selectTimeout: '300ms' } } }, LIMITED_CONTEXT)
    const role = readmeChaosMeshRole(true)
    expect(role).toContainEqual({ apiGroups: [''], resources: ['events'], verbs: ['get', 'list'] })
    await grantLimitedUser(cluster(), ns, role)
    const allowed = await chaosReport(dir, 'nothing-selected')
    expect(allowed.evidence.events!.warnings.map((e) => e.reason)).toEqual(['Failed'])

    await grantLimitedUser(cluster(), ns, readmeChaosMeshRole(false))
    const denied = await chaosReport(dir, 'nothing-selected')
    expect(denied.stage.verdict).toBe('fail')
    expect(denied.stage.findings.map((f) => f.rule)).toEqual(['CHAOS_VERDICT'])
    expect(denied.evidence.events).toEqual({ warnings: [], omitted: 0, note: `events not read: the identity may not list events in ${ns} (add get and list on events, apiGroups [""], to its Role)` })
    expect(denied.summary).toContain(`- events not read: the identity may not list events in ${ns}`)
    expect(await labelledObjects(admin, ns, denied.runId)).toEqual([])
  })

  it('annotates Grafana from injection to deletion, tagged chaos_injected', async () => {
    sli.value = 0.01
    grafana.answer = { status: 200, body: { message: 'Annotation added' } }
    const before = grafana.requests.length
    const dir = configDir({ chaosLines: ['grafana:', `  url: ${grafana.url}`, '  token: { env: GRAFANA_TOKEN }', '  dashboardUID: shop', '  tags: [team-shop]'] })
    const { stage, evidence } = await chaosReport(dir, 'pod-kill', { GRAFANA_TOKEN: TOKEN })
    expect(stage.verdict).toBe('pass')
    expect(grafana.requests.length).toBe(before + 1)
    const request = grafana.requests.at(-1)!
    expect(request).toMatchObject({ method: 'POST', path: '/api/annotations' })
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    const body = JSON.parse(request.body) as { time: number; timeEnd: number; tags: string[]; text: string; dashboardUID: string }
    expect(body.time).toBeLessThan(body.timeEnd)
    expect(body.time).toBe(evidence.times.injected)
    expect(body.timeEnd).toBe(evidence.times.gone)
    expect(body.tags).toEqual(['chaos_injected', 'release-gate', 'experiment:pod-kill', 'verdict:pass', 'team-shop'])
    expect(body.dashboardUID).toBe('shop')
    expect(body.text).toMatch(new RegExp(`^chaos experiment pod-kill: PodChaos ${ns}/pod-kill-[0-9a-f]{6} → ${ns}, blast radius one — PASS: one-shot pod-kill done on 1 target`))
    expect(evidence.annotation).toMatchObject({ ok: true, time: body.time, timeEnd: body.timeEnd })
    expect(stage.details).toContainEqual(expect.stringMatching(/^ {2}grafana: annotation \d+ added, /))
  })

  it('warns when Grafana refuses (401) and keeps the verdict and the token out of every output', async () => {
    sli.value = 0.01
    grafana.answer = { status: 401, body: { message: 'invalid API key' } }
    const dir = configDir({ chaosLines: ['grafana:', `  url: ${grafana.url}`, '  token: { env: GRAFANA_TOKEN }'] })
    const run = await cli(['chaos', 'run', '--experiment', 'pod-kill', '--run-id', 'rep-grafana-401', '--environment', 'staging', '--format', 'json'], { cwd: dir, env: { GITHUB_REF_NAME: 'main', GRAFANA_TOKEN: TOKEN } })
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { verdict: string; findings: { rule: string; severity: string; message: string; help?: string }[] }
    expect(report.verdict).toBe('pass')
    expect(report.findings).toEqual([expect.objectContaining({
      rule: 'CHAOS_GRAFANA', severity: 'warning',
      message: 'pod-kill: no Grafana annotation: Grafana refused the annotation: 401 Unauthorized: invalid API key',
      help: 'Grafana did not accept the token: check that chaos.grafana.token holds a valid service-account token',
    })])
    expect(grafana.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(run.stdout + run.stderr).not.toContain(TOKEN)
    const text = await cli(['chaos', 'run', '--experiment', 'pod-kill', '--run-id', 'rep-grafana-401-text', '--environment', 'staging', '--format', 'text'], { cwd: dir, env: { GITHUB_REF_NAME: 'main', GRAFANA_TOKEN: TOKEN } })
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('CHAOS_GRAFANA')
    expect(text.stdout + text.stderr).not.toContain(TOKEN)
  })

  it('refuses, before creating anything, a selectTimeout longer than the duration the policy leaves', async () => {
    // No duration in the config: the manifest asks for 10m, the policy caps it at 1m, so 1m + 30s grace.
    const dir = configDir({ extraExperiments: ['    - name: capped', '      driver: chaos-mesh', '      manifest: net-delay.yaml', '      selectTimeout: 2m'] })
    const run = await cli(['chaos', 'run', '--experiment', 'capped', '--run-id', 'rep-capped', '--environment', 'staging'], { cwd: dir, env: { GITHUB_REF_NAME: 'main' } })
    expect(run.code).toBe(2)
    const lines = readFileSync(path.join(dir, '.release-gate.yml'), 'utf8').split('\n')
    const line = lines.findIndex((l) => l.includes('selectTimeout: 2m')) + 1
    const index = lines.slice(lines.indexOf('  experiments:')).filter((l) => l.startsWith('    - name: ')).length - 1
    expect(run.stderr).toBe(`release-gate: .release-gate.yml:${line}:22: chaos.experiments[${index}].selectTimeout: 2m is longer than the run can last (duration 1m + 30s grace for chaos-mesh), so it could never fire; use at most 90s (the duration comes from chaos.admission.staging.maxDuration)\n`)
    expect(await labelledObjects(admin, ns, 'rep-capped')).toEqual([])
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
