import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { displayPath } from '../config/load.js'
import { formatDuration, parseDuration } from '../config/duration.js'
import type { AdmissionPolicy, ExperimentConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import { environmentName } from '../config/environment.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import type { Finding } from '../report/findings.js'
import { admit } from './admission/index.js'
import { admissionRules } from './admission/rules.js'
import { chaosMeshTarget, litmusTarget, type ChaosManifest, type ChaosTarget } from './target.js'

/** Labels every object this run creates carries, so cleanup can find them after a crash. */
export function runLabels(runId: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const labels: Record<string, string> = { 'release-gate/run-id': runId }
  if (env.GITHUB_REPOSITORY) labels['release-gate/repository'] = labelValue(env.GITHUB_REPOSITORY)
  if (env.GITHUB_SHA) labels['release-gate/commit'] = labelValue(env.GITHUB_SHA)
  return labels
}

/** Label values: at most 63 of [A-Za-z0-9_.-], starting and ending alphanumeric. */
function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
}

/** The branch being released, as CI names it, else the checkout's. */
function currentBranch(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromCi = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BRANCH_NAME
  if (fromCi) return fromCi
  try {
    const name = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return name && name !== 'HEAD' ? name : undefined
  } catch {
    return undefined
  }
}

/** Dry run: for each experiment, the admission decision and what would be created, where, for how long. */
export async function planChaos({ config, baseDir, options }: StageContext): Promise<StageOutput> {
  const experiments = config?.chaos?.experiments ?? []
  const environment = environmentName(config, options)
  const policy = environment === undefined ? undefined : config?.chaos?.admission[environment]
  const findings: Finding[] = []
  const plans = []
  for (const experiment of experiments) {
    const { target, manifest } = await readTarget(experiment, baseDir, options.cwd)
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
    const maxMs = parseDuration(policy.maxDuration)
    const durationMs = Math.min(parseDuration(experiment.duration ?? target.duration ?? policy.maxDuration), maxMs)
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
      duration: formatDuration(durationMs),
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
          `experiment ${p.experiment}: ${p.kind} ${p.namespace}/${p.name} (${p.manifest}) → ${p.targets.join(', ')}, ${p.blastRadius}, duration ${p.duration}, guard: ${p.guard.join(', ') || 'none'}`,
          ...p.admission.map((d) => `  ${d.outcome.padEnd(7)} ${d.rule}: ${d.outcome === 'refuse' ? d.reason : d.detail}`)
        ])
      ],
      evidence: { plan: plans, labels: runLabels(options.runId, options.env) }
    }
  }
}

async function readTarget(experiment: ExperimentConfig, baseDir: string, cwd: string): Promise<{ target: ChaosTarget; manifest: string }> {
  const file = path.resolve(baseDir, experiment.manifest)
  const shown = displayPath(file, cwd)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new UsageError(`${shown}: chaos manifest of experiment "${experiment.name}" not found`)
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  if (doc.errors[0]) {
    const { line, col } = lineCounter.linePos(doc.errors[0].pos[0])
    throw new UsageError(`${shown}:${line}:${col}: ${doc.errors[0].message.split('\n')[0]}`)
  }
  const manifest = doc.toJS() as ChaosManifest
  const group = experiment.driver === 'chaos-mesh' ? 'chaos-mesh.org/' : 'litmuschaos.io/'
  if (typeof manifest?.apiVersion !== 'string' || !manifest.apiVersion.startsWith(group))
    throw new UsageError(`${shown}:1:1: expected a ${experiment.driver} object (apiVersion ${group}…), got apiVersion ${JSON.stringify(manifest?.apiVersion)}`)
  try {
    return { target: experiment.driver === 'chaos-mesh' ? chaosMeshTarget(manifest) : litmusTarget(manifest), manifest: shown }
  } catch (err) {
    throw new UsageError(`${shown}: ${(err as Error).message}`)
  }
}
