import path from 'node:path'
import { formatDuration } from '../config/duration.js'
import { environmentName } from '../config/environment.js'
import { displayPath } from '../config/load.js'
import type { AdmissionPolicy } from '../config/schema.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import type { Finding } from '../report/findings.js'
import { admit } from './admission/index.js'
import { admissionRules } from './admission/rules.js'
import { currentBranch, loadExperiment, runLabels } from './experiment.js'
import { configuredSelectTimeoutMs, defaultSelectTimeoutMs, experimentDuration } from './timeouts.js'

/** Dry run: for each experiment, the admission decision and what would be created, where, for how long. */
export async function planChaos(ctx: StageContext): Promise<StageOutput> {
  const { config, options } = ctx
  const experiments = config?.chaos?.experiments ?? []
  const environment = environmentName(config, options)
  const policy = environment === undefined ? undefined : config?.chaos?.admission[environment]
  const findings: Finding[] = []
  const plans = []
  const configFile = path.resolve(options.cwd, options.configPath)
  for (const [index, experiment] of experiments.entries()) {
    const loaded = await loadExperiment(experiment, ctx)
    const { target, manifestPath: manifest } = loaded
    if (!policy || environment === undefined) {
      findings.push({
        rule: 'ADMISSION_POLICY',
        stage: 'chaos',
        severity: 'error',
        message: `no admission policy for environment ${environment ?? '(none configured)'}: chaos is refused where no policy allows it`,
        help: `add chaos.admission.${environment ?? '<environment>'} to the config`,
        path: manifest
      })
      continue
    }
    // The same duration and selection timeout the real run would use, and the same errors.
    const duration = experimentDuration(loaded, index, environment, policy.maxDuration)
    const selectTimeoutMs = (await configuredSelectTimeoutMs(loaded, index, duration, { file: configFile, shown: displayPath(configFile, options.cwd) }))
      ?? defaultSelectTimeoutMs(experiment.driver, duration.durationMs)
    const admission = admit({ environment, policy: policy as AdmissionPolicy, target, now: new Date(), branch: currentBranch(options.cwd, options.env) })
    for (const d of admission.decisions)
      if (d.outcome === 'refuse') findings.push({ rule: d.rule, stage: 'chaos', severity: 'error', message: `${experiment.name}: ${d.reason}`, help: d.fix, path: manifest })
    plans.push({
      experiment: experiment.name,
      manifest,
      kind: target.kind,
      name: target.name,
      namespace: target.namespace,
      targets: target.targetNamespaces,
      blastRadius: target.value === undefined ? target.mode : `${target.mode} ${target.value}`,
      duration: formatDuration(duration.durationMs),
      selectTimeout: `${formatDuration(selectTimeoutMs)}${experiment.selectTimeout === undefined ? ' (default)' : ''}`,
      guard: experiment.guard,
      admitted: admission.admitted,
      admission: admission.decisions
    })
  }
  const refused = findings.length > 0
  const rules = Object.fromEntries(admissionRules.map((r) => [r.id, { purpose: r.purpose }]))
  return {
    rules: { ...rules, ADMISSION_POLICY: { purpose: 'An environment must have an admission policy before chaos can run there.' } },
    result: {
      stage: 'chaos',
      verdict: refused ? 'fail' : 'skipped',
      summary: refused
        ? `dry run: refused by the admission policy (${findings.map((f) => f.rule).join(', ')})`
        : `dry run: would inject ${plans.map((p) => `${p.kind} "${p.experiment}" in ${p.targets.join(', ')} (${p.blastRadius}) for ${p.duration}`).join('; ')}`,
      findings,
      details: [
        `environment: ${environment ?? '(none)'}; labels on every object: ${Object.entries(runLabels(options.runId, options.env)).map(([k, v]) => `${k}=${v}`).join(', ')}`,
        ...plans.flatMap((p) => [
          `experiment ${p.experiment}: ${p.kind} ${p.namespace}/${p.name} (${p.manifest}) → ${p.targets.join(', ')}, ${p.blastRadius}, duration ${p.duration}, injected within ${p.selectTimeout} or it fails, guard: ${p.guard.join(', ') || 'none'}`,
          ...p.admission.map((d) => `  ${d.outcome.padEnd(7)} ${d.rule}: ${d.outcome === 'refuse' ? d.reason : d.detail}`)
        ])
      ],
      evidence: { plan: plans, labels: runLabels(options.runId, options.env) }
    }
  }
}
