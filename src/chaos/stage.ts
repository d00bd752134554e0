/**
 * The chaos stage for real (`release-gate chaos run`, the pipeline's chaos step) and `release-gate
 * cleanup`. Admission comes first for every experiment; nothing is created unless all are admitted.
 * Then each experiment runs under its guard, one at a time, and the first one that does not pass
 * ends the stage.
 */
import path from 'node:path'
import type { Command } from '../commands.js'
import { formatDuration, parseDuration } from '../config/duration.js'
import { environmentName } from '../config/environment.js'
import { displayPath } from '../config/load.js'
import { UsageError } from '../errors.js'
import { KubeApiError, KubeClient } from '../kube/index.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import { worstVerdict, type Finding, type RuleInfo, type StageResult, type Verdict } from '../report/findings.js'
import { admit, type Admission } from './admission/index.js'
import { admissionRules } from './admission/rules.js'
import { cleanupRun } from './cleanup.js'
import { driverFor, EXPERIMENT_LABEL, type ChaosDriver } from './drivers/index.js'
import { createGuard, describeMeasurement } from './guard.js'
import { currentBranch, loadExperiment, runLabels, type LoadedExperiment } from './experiment.js'
import { runExperiment, type RunOutcome, type RunSettings } from './run.js'

export const CHAOS_RULES: Record<string, RuleInfo> = {
  ...Object.fromEntries(admissionRules.map((r) => [r.id, { purpose: r.purpose }])),
  ADMISSION_POLICY: { purpose: 'An environment must have an admission policy before chaos can run there.' },
  CHAOS_VERDICT: { purpose: 'The experiment injected its fault into at least one target, recovered, and its own verdict passed.' },
  CHAOS_GUARD: { purpose: 'The SLO guard gates held while the experiment ran; a breach stops the experiment at once.' },
  CHAOS_KUBE: { purpose: 'The cluster accepts the experiment: reachable, and the identity holds the Role the driver needs.' },
  CHAOS_CLEANUP: { purpose: 'Everything a run created is deleted, its finalizers released.' },
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
    return refuse([{ rule: 'ADMISSION_POLICY', stage: 'chaos', severity: 'error', message: `no admission policy for environment ${environment ?? '(none configured)'}: chaos is refused where no policy allows it`, help: `add chaos.admission.${environment ?? '<environment>'} to the config`, path: loaded[0]!.manifestPath }],
      'refused: no admission policy')

  // Admission for every experiment before anything is created.
  const admissions = loaded.map((e) => ({ experiment: e, admission: admit({ environment, policy, target: e.target, now: new Date(), branch: currentBranch(options.cwd, options.env) }) }))
  const refusals = admissions.flatMap(({ experiment, admission }) => admissionFindings(experiment, admission, environment))
  if (refusals.length > 0) return refuse(refusals, `refused by the admission policy: ${refusals.map((f) => f.message).join('; ')}`)

  const client = kubeClient(ctx, environment)
  const maxMs = parseDuration(policy.maxDuration)
  const controller = new AbortController()
  const interrupt = () => controller.abort()
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  const outcomes: { experiment: LoadedExperiment; outcome: RunOutcome; durationMs: number }[] = []
  try {
    for (const experiment of loaded) {
      const durationMs = Math.min(parseDuration(experiment.config.duration ?? experiment.target.duration ?? policy.maxDuration), maxMs)
      const driver = driverFor(experiment.config.driver)
      const guard = await createGuard({ config: config!, experiment: experiment.config, configFile: configFile(ctx), baseDir: ctx.baseDir, runId: options.runId, env: options.env })
      try {
        const labels = { ...runLabels(options.runId, options.env), [EXPERIMENT_LABEL]: experiment.config.name }
        const outcome = await runExperiment(client, driver, experiment.manifest, { labels, durationMs }, guard, { ...runSettings(driver, durationMs), signal: controller.signal })
          .catch((error: unknown): RunOutcome => {
            // Only creation can throw here (later API errors are part of the outcome): nothing was created.
            if (!(error instanceof KubeApiError)) throw error
            return { verdict: 'inconclusive', reason: `could not create the experiment: ${error.message}${forbiddenHint(experiment, error)}`, timeline: [], guard: [] }
          })
        outcomes.push({ experiment, outcome, durationMs })
      } finally {
        await guard?.close()
      }
      if (outcomes.at(-1)!.outcome.verdict !== 'pass') break
    }
  } finally {
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
  }
  return { rules: CHAOS_RULES, result: stageResult(outcomes, loaded.length, Date.now() - started, options.runId) }
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
 * Timeouts per driver. Chaos Mesh selects within seconds, so nothing injected by half the duration
 * (at most 30 s) is a failure. Litmus starts a runner and an experiment pod first (image pulls), and
 * reports an empty selection itself (TARGET_SELECTION_ERROR), so it only gets the overall deadline.
 */
export function runSettings(driver: ChaosDriver, durationMs: number): RunSettings {
  return driver.capabilities.injectionCount
    ? { selectTimeoutMs: Math.min(30_000, Math.max(1_000, durationMs / 2)), graceMs: 30_000, cleanupTimeoutMs: 30_000 }
    : { selectTimeoutMs: durationMs + 180_000, graceMs: 180_000, cleanupTimeoutMs: 200_000 }
}

function admissionFindings(experiment: LoadedExperiment, admission: Admission, environment: string): Finding[] {
  const name = experiment.config.name
  return admission.decisions.flatMap((d): Finding[] => {
    if (d.outcome === 'refuse') return [{ rule: d.rule, stage: 'chaos', severity: 'error', message: `${name}: ${d.reason}`, help: d.fix, path: experiment.manifestPath }]
    // This version cannot read PR reviews: a rule it cannot check refuses rather than passes.
    if (d.outcome === 'pending')
      return [{ rule: d.rule, stage: 'chaos', severity: 'error', message: `${name}: ${d.detail}, but this version cannot check approvals, so a real run refuses`, help: `approvals are not checked by this version yet: remove chaos.admission.${environment}.approvals to run chaos here (the policy then no longer requires them), or use --dry-run to see the plan`, path: experiment.manifestPath }]
    return []
  })
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`

function stageResult(outcomes: { experiment: LoadedExperiment; outcome: RunOutcome; durationMs: number }[], configured: number, durationMs: number, runId: string): StageResult {
  const findings: Finding[] = []
  const details: string[] = []
  for (const { experiment, outcome, durationMs: planned } of outcomes) {
    const t = experiment.target
    const name = experiment.config.name
    details.push(
      `experiment ${name}: ${outcome.verdict.toUpperCase()} — ${outcome.reason}`,
      `  hypothesis: ${experiment.config.hypothesis ?? '(none stated)'}`,
      `  target: ${t.kind} ${outcome.handle ? `${outcome.handle.namespace}/${outcome.handle.name}` : t.name} → ${t.targetNamespaces.join(', ')}; blast radius ${t.value === undefined ? t.mode : `${t.mode} ${t.value}`}; duration ${formatDuration(planned)}`,
      '  timeline:',
      ...outcome.timeline.map((e) => `    +${seconds(e.atMs)} ${e.phase}: ${e.detail}`),
      `  guard: ${experiment.config.guard.length ? `${experiment.config.guard.join(', ')} every ${experiment.config.guardInterval}, ${outcome.guard.length} measurement(s)` : 'none'}`,
      ...outcome.guard.slice(-6).map((m) => `    ${new Date(m.time * 1000).toISOString()} ${describeMeasurement(m)}`),
    )
    if (outcome.breach) details.push(`  breach → stop acknowledged in ${outcome.breach.stopMs} ms, experiment gone ${outcome.breach.goneMs} ms after the breach was measured`)
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
      experiments: outcomes.map(({ experiment, outcome, durationMs: planned }) => ({
        name: experiment.config.name, verdict: outcome.verdict, reason: outcome.reason, hypothesis: experiment.config.hypothesis,
        target: { kind: experiment.target.kind, namespaces: experiment.target.targetNamespaces, mode: experiment.target.mode, value: experiment.target.value, duration: formatDuration(planned) },
        object: outcome.handle, timeline: outcome.timeline,
        guard: outcome.guard, breach: outcome.breach, cleanup: outcome.cleanup,
      })),
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
  const env = environment === undefined ? undefined : ctx.config?.environments[environment]
  try {
    return KubeClient.load({
      ...(env?.kubeconfig ? { kubeconfigPath: path.resolve(ctx.baseDir, env.kubeconfig) } : {}),
      ...(env?.kubeContext ? { context: env.kubeContext } : {}),
    })
  } catch (error) {
    throw new UsageError(`environment ${environment ?? '(default)'}: ${(error as Error).message}`)
  }
}

function configFile(ctx: StageContext): string {
  return displayPath(path.resolve(ctx.options.cwd, ctx.options.configPath), ctx.options.cwd)
}
