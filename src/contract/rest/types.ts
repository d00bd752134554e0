/**
 * Rules beyond buf's two kinds: `rest` (google.api.http surface) and `policy` (evolution policy).
 * Same shape as rules/types.ts RuleSpec (id, categories, default, purpose, check) so the
 * registry, SARIF metadata and docs can list them alongside buf's rules.
 */

import type { Report } from '../rules/types.js'

export interface ExtraRuleSpec<Kind extends 'rest' | 'policy', Context> {
  id: string
  kind: Kind
  /** `REST` or `POLICY`. */
  categories: readonly string[]
  default: boolean
  /** One sentence: "Checks that …". */
  purpose: string
  check(context: Context, report: Report): void
}

/** A finding in the shape `buf breaking --error-format json` prints: the breaking compare's own type. */
export type { BreakingFinding as RuleFinding } from '../breaking.js'
