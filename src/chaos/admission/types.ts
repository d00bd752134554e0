import type { AdmissionPolicy } from '../../config/schema.js'
import type { ApprovalLookup } from '../../github/approvals.js'
import type { ChaosTarget } from '../target.js'

export interface AdmissionInput {
  environment: string
  policy: AdmissionPolicy
  target: ChaosTarget
  now: Date
  /** The branch being released; undefined when it cannot be known (the rule then refuses). */
  branch?: string
  /** Who approved, as read from GitHub; undefined when not looked up (dry run); `failed` when GitHub could not say. */
  approvals?: ApprovalLookup | { failed: string; fix: string }
}

export type AdmissionDecision =
  | { outcome: 'allow'; detail: string }
  | { outcome: 'refuse'; reason: string; fix: string }
  /** Could not be decided without a side effect (e.g. a GitHub call) — a dry run shows it, a real run resolves it. */
  | { outcome: 'pending'; detail: string }

/** One admission rule: an ID, what it protects, and a pure check. */
export interface AdmissionRule {
  id: string
  purpose: string
  check(input: AdmissionInput): AdmissionDecision
}
