/**
 * One model for every stage: a finding is something a rule, gate or driver observed; a stage
 * result is a verdict with the findings and evidence behind it. Renderers read only these types.
 */

export const STAGES = ['config', 'contract', 'chaos', 'gates', 'rollout'] as const
export type Stage = (typeof STAGES)[number]

export const SEVERITIES = ['error', 'warning', 'notice'] as const
export type Severity = (typeof SEVERITIES)[number]

/**
 * pass: safe to go on. fail: blocked. inconclusive: could not decide (no data, a service not
 * reachable) and therefore never promotes. skipped: the stage did not run (dry run, not configured).
 */
export const VERDICTS = ['pass', 'fail', 'inconclusive', 'skipped'] as const
export type Verdict = (typeof VERDICTS)[number]

export interface Location {
  /** Path relative to the working directory, with forward slashes. */
  path: string
  /** 1-based; absent when the finding points at a whole file. */
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
}

export interface Finding extends Partial<Location> {
  /** Rule, gate or check ID, e.g. FIELD_NO_DELETE, COMPILE, CONFIG, gate:error-rate. */
  rule: string
  stage: Stage
  severity: Severity
  message: string
  /** How to fix it, when the rule knows. */
  help?: string
}

export interface StageResult {
  stage: Stage
  verdict: Verdict
  /** One line a person reads first. */
  summary: string
  findings: Finding[]
  /** Lines a person reads under the summary: a dry run's plan, a decision's reasons. */
  details?: string[]
  /** Numbers and plans that back the verdict (queries, series, patches); rendered as JSON. */
  evidence?: Record<string, unknown>
  durationMs?: number
}

/** What a rule, gate or driver checks, for SARIF rule metadata and the docs. */
export interface RuleInfo {
  purpose: string
  helpUri?: string
}

export interface Report {
  tool: { name: string; version: string }
  verdict: Verdict
  dryRun: boolean
  stages: StageResult[]
  /** Metadata of every rule that produced a finding. */
  rules: Record<string, RuleInfo>
}

/** How much a verdict blocks; the worst stage decides the run. */
const BLOCKING_ORDER: Record<Verdict, number> = { skipped: 0, pass: 1, inconclusive: 2, fail: 3 }

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'skipped'
  for (const v of verdicts) if (BLOCKING_ORDER[v] > BLOCKING_ORDER[worst]) worst = v
  return worst
}


const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 }

/** Errors first, then warnings, then notices; within a level by path and position. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.path ?? '').localeCompare(b.path ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.rule.localeCompare(b.rule)
  )
}

export function allFindings(report: Report): Finding[] {
  return report.stages.flatMap((s) => s.findings)
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 }
  for (const f of findings) counts[f.severity]++
  return counts
}
