import type { Finding, RuleInfo } from '../../report/findings.js'
import { admissionRules } from './rules.js'
import type { AdmissionDecision, AdmissionInput } from './types.js'

export interface Admission {
  admitted: boolean
  /** Some rule could not be checked yet: a real run resolves it before injecting anything. */
  pending: boolean
  decisions: ({ rule: string } & AdmissionDecision)[]
}

/** Every rule's decision; one refusal refuses the experiment. */
export function admit(input: AdmissionInput): Admission {
  const decisions = admissionRules.map((rule) => ({ rule: rule.id, ...rule.check(input) }))
  return {
    admitted: decisions.every((d) => d.outcome !== 'refuse'),
    pending: decisions.some((d) => d.outcome === 'pending'),
    decisions
  }
}

/** The rules an admission can report, for the dry run and the real run alike. */
export const ADMISSION_RULES: Record<string, RuleInfo> = {
  ...Object.fromEntries(admissionRules.map((r) => [r.id, { purpose: r.purpose }])),
  ADMISSION_POLICY: { purpose: 'An environment must have an admission policy before chaos can run there.' },
}

export function noPolicyFinding(environment: string | undefined, manifestPath: string): Finding {
  return {
    rule: 'ADMISSION_POLICY',
    stage: 'chaos',
    severity: 'error',
    message: `no admission policy for environment ${environment ?? '(none configured)'}: chaos is refused where no policy allows it`,
    help: `add chaos.admission.${environment ?? '<environment>'} to the config`,
    path: manifestPath
  }
}

/** One error finding per rule that refused the experiment. */
export function refusalFindings(experiment: string, manifestPath: string, admission: Admission): Finding[] {
  return admission.decisions.flatMap((d): Finding[] =>
    d.outcome === 'refuse' ? [{ rule: d.rule, stage: 'chaos', severity: 'error', message: `${experiment}: ${d.reason}`, help: d.fix, path: manifestPath }] : [])
}
