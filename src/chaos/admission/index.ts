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
