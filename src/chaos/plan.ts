import { formatDuration } from '../config/duration.js'
import { environmentName } from '../config/environment.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import type { Finding } from '../report/findings.js'
import { ADMISSION_RULES, admit, noPolicyFinding, refusalFindings } from './admission/index.js'
import { currentBranch, experimentTimings, loadExperiment, runLabels } from './experiment.js'
import { blastRadius } from './report.js'
import { defaultSelectTimeoutMs } from './timeouts.js'

/** Dry run: for each experiment, the admission decision and what would be created, where, for how long. */
export async function planChaos(ctx: StageContext): Promise<StageOutput> {
  const { config, options } = ctx
  const experiments = config?.chaos?.experiments ?? []
  const environment = environmentName(config, options)
  const policy = environment === undefined ? undefined : config?.chaos?.admission[environment]
  const branch = policy ? currentBranch(options.cwd, options.env) : undefined
  const labels = runLabels(options.runId, options.env)
  const findings: Finding[] = []
  const plans = []
  for (const [index, experiment] of experiments.entries()) {
    const loaded = await loadExperiment(experiment, ctx)
    const { target, manifestPath: manifest } = loaded
    if (!policy || environment === undefined) {
      findings.push(noPolicyFinding(environment, manifest))
      continue
    }
    // The same duration and selection timeout the real run would use, and the same errors.
    const { durationMs, selectTimeoutMs } = experimentTimings(loaded, index, environment, policy.maxDuration, ctx)
    const admission = admit({ environment, policy, target, now: new Date(), branch })
    findings.push(...refusalFindings(experiment.name, manifest, admission))
    plans.push({
      experiment: experiment.name,
      manifest,
      kind: target.kind,
      name: target.name,
      namespace: target.namespace,
      targets: target.targetNamespaces,
      blastRadius: blastRadius(loaded),
      duration: formatDuration(durationMs),
      selectTimeout: selectTimeoutMs === undefined ? `${formatDuration(defaultSelectTimeoutMs(experiment.driver, durationMs))} (default)` : formatDuration(selectTimeoutMs),
      guard: experiment.guard,
      admitted: admission.admitted,
      admission: admission.decisions
    })
  }
  const refused = findings.length > 0
  return {
    rules: ADMISSION_RULES,
    result: {
      stage: 'chaos',
      verdict: refused ? 'fail' : 'skipped',
      summary: refused
        ? `dry run: refused by the admission policy (${findings.map((f) => f.rule).join(', ')})`
        : `dry run: would inject ${plans.map((p) => `${p.kind} "${p.experiment}" in ${p.targets.join(', ')} (${p.blastRadius}) for ${p.duration}`).join('; ')}`,
      findings,
      details: [
        `environment: ${environment ?? '(none)'}; labels on every object: ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}`,
        ...plans.flatMap((p) => [
          `experiment ${p.experiment}: ${p.kind} ${p.namespace}/${p.name} (${p.manifest}) → ${p.targets.join(', ')}, ${p.blastRadius}, duration ${p.duration}, injected within ${p.selectTimeout} or it fails, guard: ${p.guard.join(', ') || 'none'}`,
          ...p.admission.map((d) => `  ${d.outcome.padEnd(7)} ${d.rule}: ${d.outcome === 'refuse' ? d.reason : d.detail}`)
        ])
      ],
      evidence: { plan: plans, labels }
    }
  }
}
