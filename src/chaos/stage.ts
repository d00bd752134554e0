/**
 * The chaos stage for real (`release-gate chaos run`, the pipeline's chaos step) and `release-gate
 * cleanup`. Admission comes first for every experiment; nothing is created unless all are admitted.
 * Then each experiment runs under its guard, one at a time, and the first one that does not pass
 * ends the stage.
 */
import path from 'node:path'
import type { Command } from '../commands.js'
import { formatDuration } from '../config/duration.js'
import { environmentName } from '../config/environment.js'
import { displayPath } from '../config/load.js'
import type { GateConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import { KubeApiError, kubeClientForEnvironment, type KubeClient } from '../kube/index.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import { worstVerdict, type Finding, type RuleInfo, type StageResult, type Verdict } from '../report/findings.js'
import { ApprovalLookupError, lookupApprovals, type ApprovalRequirement } from '../github/approvals.js'
import { EventContextError } from '../github/context.js'
import { ADMISSION_RULES, admit, noPolicyFinding, refusalFindings } from './admission/index.js'
import type { AdmissionInput } from './admission/types.js'
import { cleanupRun } from './cleanup.js'
import { driverFor, EXPERIMENT_LABEL, type ChaosDriver } from './drivers/index.js'
import { createGuard, describeMeasurement } from './guard.js'
import { currentBranch, experimentTimings, loadExperiment, runLabels, type LoadedExperiment } from './experiment.js'
import { describeEvent } from './events.js'
import { annotateExperiment, annotationOf } from './grafana.js'
import { chaosSummaryMarkdown, describeTarget, objectName, seconds, type ExperimentRun } from './report.js'
import { runExperiment, type RunOutcome, type RunSettings } from './run.js'
import { defaultSelectTimeoutMs, GRACE_MS } from './timeouts.js'

export const CHAOS_RULES: Record<string, RuleInfo> = {
  ...ADMISSION_RULES,
  CHAOS_VERDICT: { purpose: 'The experiment injected its fault into at least one target, recovered, and its own verdict passed.' },
  CHAOS_GUARD: { purpose: 'The SLO guard gates held while the experiment ran; a breach stops the experiment at once.' },
  CHAOS_KUBE: { purpose: 'The cluster accepts the experiment: reachable, and the identity holds the Role the driver needs.' },
  CHAOS_CLEANUP: { purpose: 'Everything a run created is deleted, its finalizers released.' },
  CHAOS_GRAFANA: { purpose: 'Each experiment is annotated on Grafana when chaos.grafana is configured; a failure is a warning and never changes the verdict.' },
}

/** `release-gate chaos run [--experiment NAME]` and the pipeline's chaos stage. */
export async function runChaos(ctx: StageContext, only?: Extract<Command, { name: 'chaos' }>['experiment']): Promise<StageOutput> {
  const started = Date.now()
  const { config, options } = ctx
  const all = config?.chaos?.experiments ?? []
  const experiments = only === undefined ? all : all.filter((e) => e.name === only)
  if (only !== undefined && experiments.length === 0) throw new UsageError(`--experiment ${only}: no such experiment; configured: ${all.map((e) => e.name).join(', ') || 'none'}`)
  if (experiments.length === 0) return { result: { stage: 'chaos', verdict: 'skipped', summary: 'no chaos experiments configured', findings: [] } }
  const environment = environmentName(config, options)
  const policy = environment === undefined ? undefined : config!.chaos!.admission[environment]
  const loaded = await Promise.all(experiments.map((e) => loadExperiment(e, ctx)))
  const refuse = (findings: Finding[], summary: string): StageOutput => ({
    rules: CHAOS_RULES, result: { stage: 'chaos', verdict: 'fail', summary, findings, durationMs: Date.now() - started },
  })
  if (!policy || environment === undefined)
    return refuse([noPolicyFinding(environment, loaded[0]!.manifestPath)], 'refused: no admission policy')

  // Admission for every experiment before anything is created.
  const approvals = policy.approvals ? await approvalsOf(policy.approvals, options.env) : undefined
  const branch = currentBranch(options.cwd, options.env)
  const admissions = loaded.map((e) => ({ experiment: e, admission: admit({ environment, policy, target: e.target, now: new Date(), branch, ...(approvals ? { approvals } : {}) }) }))
  const refusals = admissions.flatMap(({ experiment, admission }) => refusalFindings(experiment.config.name, experiment.manifestPath, admission))
  if (refusals.length > 0) return refuse(refusals, `refused by the admission policy: ${refusals.map((f) => f.message).join('; ')}`)

  const client = kubeClient(ctx, environment)
  // Durations and timeouts of every experiment, checked before the first one is created.
  const timings = loaded.map((experiment) => experimentTimings(experiment, all.indexOf(experiment.config), environment, policy.maxDuration, ctx))
  const controller = new AbortController()
  const interrupt = () => controller.abort()
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  const outcomes: ExperimentRun[] = []
  try {
    for (const [i, experiment] of loaded.entries()) {
      const { durationMs, selectTimeoutMs } = timings[i]!
      const driver = driverFor(experiment.config.driver)
      const guard = await createGuard({ config: config!, experiment: experiment.config, configFile: configFile(ctx), baseDir: ctx.baseDir, runId: options.runId, env: options.env })
      try {
        const labels = { ...runLabels(options.runId, options.env), [EXPERIMENT_LABEL]: experiment.config.name }
        const outcome = await runExperiment(client, driver, experiment.manifest, { labels, durationMs }, guard, { ...runSettings(driver, durationMs, selectTimeoutMs), signal: controller.signal })
          .catch((error: unknown): RunOutcome => {
            // Only creation can throw here (later API errors are part of the outcome): nothing was created.
            if (!(error instanceof KubeApiError)) throw error
            return { verdict: 'inconclusive', reason: `could not create the experiment: ${error.message}${forbiddenHint(experiment, error)}`, timeline: [], guard: [] }
          })
        const grafana = config!.chaos!.grafana
        const annotation = grafana && outcome.handle && outcome.times ? await annotateExperiment(grafana, annotationOf(experiment, outcome, outcome.times), { baseDir: ctx.baseDir, env: options.env }) : undefined
        outcomes.push({ experiment, outcome, durationMs, ...(annotation ? { annotation } : {}) })
      } finally {
        await guard?.close()
      }
      if (outcomes.at(-1)!.outcome.verdict !== 'pass') break
    }
  } finally {
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
  }
  const result = stageResult(outcomes, loaded.length, Date.now() - started, options.runId, config!.gates?.checks ?? [])
  // Why each experiment was allowed to run (who approved, which window), for the audit trail.
  const admitted = admissions.map(({ experiment, admission }) => ({ experiment: experiment.config.name, decisions: admission.decisions }))
  result.details = [...admitted.flatMap((a) => [`admitted ${a.experiment}:`, ...a.decisions.map((d) => `  ${d.rule}: ${d.outcome === 'allow' ? d.detail : d.outcome}`)]), ...(result.details ?? [])]
  result.evidence = { ...result.evidence, admission: admitted }
  return { rules: CHAOS_RULES, result }
}

/**
 * Chaos Mesh's auth webhook checks `create` on the kind in every namespace the selectors reach, and its
 * refusal is a 403 on our create in the object's own namespace: name the other namespaces too.
 */
function forbiddenHint(experiment: LoadedExperiment, error: KubeApiError): string {
  const others = experiment.target.targetNamespaces.filter((ns) => ns !== experiment.target.namespace)
  if (!error.isForbidden || experiment.config.driver !== 'chaos-mesh' || others.length === 0) return ''
  return ` (Chaos Mesh's webhook also requires create on ${experiment.target.kind.toLowerCase()} in ${others.join(', ')}, every namespace the selectors reach)`
}

/**
 * Timeouts per driver (why these defaults: src/chaos/timeouts.ts). `selectTimeoutMs` is the
 * experiment's configured selectTimeout, already checked against duration + grace.
 */
export function runSettings(driver: ChaosDriver, durationMs: number, selectTimeoutMs?: number): RunSettings {
  return {
    selectTimeoutMs: selectTimeoutMs ?? defaultSelectTimeoutMs(driver.name, durationMs),
    graceMs: GRACE_MS[driver.name],
    // Litmus deletes its runner and experiment pods before releasing the engine's finalizer.
    cleanupTimeoutMs: driver.name === 'chaos-mesh' ? 30_000 : 200_000,
  }
}

/** Approvals as GitHub reports them; a lookup that fails refuses (with the fix), it never admits. */
async function approvalsOf(requirement: ApprovalRequirement, env: NodeJS.ProcessEnv): Promise<NonNullable<AdmissionInput['approvals']>> {
  try {
    return await lookupApprovals(requirement, env)
  } catch (error) {
    if (error instanceof ApprovalLookupError) return { failed: error.message, fix: error.fix }
    if (error instanceof EventContextError) return { failed: error.message, fix: 'run where GITHUB_REPOSITORY and GITHUB_EVENT_PATH describe the run' }
    throw error
  }
}

function stageResult(outcomes: ExperimentRun[], configured: number, durationMs: number, runId: string, gates: readonly GateConfig[]): StageResult {
  const findings: Finding[] = []
  const details: string[] = []
  for (const run of outcomes) {
    const { experiment, outcome, annotation } = run
    const t = experiment.target
    const name = experiment.config.name
    details.push(
      `experiment ${name}: ${outcome.verdict.toUpperCase()} — ${outcome.reason}`,
      `  hypothesis: ${experiment.config.hypothesis ?? '(none stated)'}`,
      `  target: ${describeTarget(run)}`,
      '  timeline:',
      ...outcome.timeline.map((e) => `    ${seconds(e.atMs)} ${e.phase}: ${e.detail}`),
      `  guard: ${experiment.config.guard.length ? `${experiment.config.guard.join(', ')} every ${experiment.config.guardInterval}, ${outcome.guard.length} measurement(s)` : 'none'}`,
      ...outcome.guard.slice(-6).map((m) => `    ${new Date(m.time * 1000).toISOString()} ${describeMeasurement(m)}`),
    )
    if (outcome.breach) details.push(`  breach → stop acknowledged in ${outcome.breach.stopMs} ms, experiment gone ${outcome.breach.goneMs} ms after the breach was measured`)
    if (outcome.events) {
      const { warnings, omitted, note } = outcome.events
      details.push(`  warning events on ${t.kind} ${objectName(experiment, outcome)}: ${warnings.length === 0 ? (note ?? 'none') : `${warnings.length}${omitted ? ` newest (${omitted} older left out)` : ''}`}`,
        ...warnings.map((e) => `    ${e.lastSeen} ${describeEvent(e)}`))
      if (note && warnings.length > 0) details.push(`    ${note}`)
    }
    if (annotation?.ok) details.push(`  grafana: annotation${annotation.id === undefined ? '' : ` ${annotation.id}`} added, ${new Date(annotation.time).toISOString()} → ${new Date(annotation.timeEnd).toISOString()}, tags ${annotation.tags.join(', ')}`)
    if (annotation && !annotation.ok)
      findings.push({ rule: 'CHAOS_GRAFANA', stage: 'chaos', severity: 'warning', message: `${name}: no Grafana annotation: ${annotation.error}`, help: annotation.help })
    if (outcome.verdict !== 'pass')
      findings.push({ rule: outcome.breach ? 'CHAOS_GUARD' : outcome.handle ? 'CHAOS_VERDICT' : 'CHAOS_KUBE', stage: 'chaos', severity: 'error', message: `${name}: ${outcome.reason}`, path: experiment.manifestPath })
    if (outcome.cleanup && outcome.cleanup.state !== 'gone')
      findings.push({ rule: 'CHAOS_CLEANUP', stage: 'chaos', severity: outcome.cleanup.state === 'stuck' ? 'error' : 'warning', message: `${name}: ${t.kind} ${outcome.cleanup.namespace}/${outcome.cleanup.name} ${outcome.cleanup.state}: ${outcome.cleanup.detail}`, help: outcome.cleanup.state === 'stuck' ? `delete it with: release-gate cleanup --run-id ${runId}` : undefined, path: experiment.manifestPath })
  }
  if (outcomes.length < configured) details.push(`${configured - outcomes.length} experiment(s) not run: an earlier one did not pass`)
  const verdict: Verdict = worstVerdict(outcomes.map((o) => o.outcome.verdict))
  const last = outcomes.at(-1)!
  return {
    stage: 'chaos',
    verdict,
    summary: verdict === 'pass'
      ? `${outcomes.length} experiment(s) passed (injected, guard held) and removed`
      : `${last.experiment.config.name}: ${last.outcome.reason}`,
    findings,
    details,
    evidence: {
      experiments: outcomes.map(({ experiment, outcome, durationMs: planned, annotation }) => ({
        name: experiment.config.name, verdict: outcome.verdict, reason: outcome.reason, hypothesis: experiment.config.hypothesis,
        target: { kind: experiment.target.kind, namespaces: experiment.target.targetNamespaces, mode: experiment.target.mode, value: experiment.target.value, duration: formatDuration(planned) },
        object: outcome.handle, timeline: outcome.timeline, times: outcome.times,
        guard: outcome.guard, breach: outcome.breach, cleanup: outcome.cleanup, events: outcome.events, annotation,
      })),
      summaryMarkdown: chaosSummaryMarkdown(outcomes, gates),
    },
    durationMs,
  }
}

/** `release-gate cleanup --run-id ID`: deletes everything labelled with the run id in the namespaces the config's experiments use. */
export async function runCleanup(ctx: StageContext): Promise<StageOutput> {
  const { config, options } = ctx
  const experiments = config?.chaos?.experiments ?? []
  if (experiments.length === 0) return { result: { stage: 'chaos', verdict: 'pass', summary: `run ${options.runId}: no chaos experiments configured, nothing to clean up`, findings: [] } }
  const environment = environmentName(config, options)
  const namespaces = new Set<string>()
  const drivers = new Set<ChaosDriver>()
  for (const experiment of experiments) {
    drivers.add(driverFor(experiment.driver))
    const loaded = await loadExperiment(experiment, ctx)
    namespaces.add(loaded.target.namespace)
  }
  const client = kubeClient(ctx, environment)
  const { results, errors } = await cleanupRun(client, [...drivers], [...namespaces], options.runId, 30_000)
  const findings: Finding[] = [
    ...errors.map((message): Finding => ({ rule: 'CHAOS_CLEANUP', stage: 'chaos', severity: 'error', message })),
    ...results.filter((r) => r.state !== 'gone').map((r): Finding => ({ rule: 'CHAOS_CLEANUP', stage: 'chaos', severity: r.state === 'stuck' ? 'error' : 'warning', message: `${r.kind} ${r.namespace}/${r.name} ${r.state}: ${r.detail}` })),
  ]
  const stuck = errors.length > 0 || results.some((r) => r.state === 'stuck')
  return {
    rules: CHAOS_RULES,
    result: {
      stage: 'chaos',
      verdict: stuck ? 'fail' : 'pass',
      summary: `run ${options.runId}: ${results.length === 0 && errors.length === 0 ? 'nothing labelled with it was left' : `deleted ${results.filter((r) => r.state !== 'stuck').length} of ${results.length} object(s)`}${errors.length ? `, ${errors.length} error(s)` : ''} in ${[...namespaces].join(', ')}`,
      findings,
      details: results.map((r) => `${r.kind} ${r.namespace}/${r.name}: ${r.state} after ${r.ms} ms${r.detail ? ` (${r.detail})` : ''}`),
      evidence: { runId: options.runId, namespaces: [...namespaces], results, errors },
    },
  }
}

function kubeClient(ctx: StageContext, environment: string | undefined): KubeClient {
  try {
    return kubeClientForEnvironment(ctx.config, environment, ctx.baseDir)
  } catch (error) {
    throw new UsageError(`environment ${environment ?? '(default)'}: ${(error as Error).message}`)
  }
}

function configFile(ctx: StageContext): string {
  return displayPath(path.resolve(ctx.options.cwd, ctx.options.configPath), ctx.options.cwd)
}
