/**
 * Rules beyond buf's two kinds: `rest` (google.api.http surface) and `policy` (evolution policy).
 * Same shape as rules/types.ts RuleSpec (id, categories, default, purpose, check) so the
 * registry, SARIF metadata and docs can list them alongside buf's rules.
 */

import { findingAt, type BreakingFinding } from '../breaking.js'
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
export type RuleFinding = BreakingFinding

/**
 * The rules `use` selects (IDs or the `category` itself; absent or empty = the default rules) minus
 * `except`; an unknown ID is a `configError`.
 */
export function selectExtraRules<Rule extends { id: string; default: boolean }>(
  rules: readonly Rule[],
  category: string,
  options: { use?: readonly string[]; except?: readonly string[] },
  configError: new (message: string) => Error
): Rule[] {
  const expand = (ids: readonly string[]): string[] =>
    ids.flatMap((id) => {
      if (id === category) return rules.map((rule) => rule.id)
      if (rules.some((rule) => rule.id === id)) return [id]
      throw new configError(`${JSON.stringify(id)} is not a ${category} rule ID (known: ${category}, ${rules.map((rule) => rule.id).join(', ')})`)
    })
  const use = options.use && options.use.length > 0 ? new Set(expand(options.use)) : new Set(rules.filter((rule) => rule.default).map((rule) => rule.id))
  for (const id of expand(options.except ?? [])) use.delete(id)
  return rules.filter((rule) => use.has(rule.id))
}

/** Every rule's findings, sorted by path, line, column and rule. */
export function runExtraRules<Context>(rules: readonly ExtraRuleSpec<'rest' | 'policy', Context>[], context: Context, displayPath: (path: string) => string): RuleFinding[] {
  const findings: RuleFinding[] = []
  for (const rule of rules) rule.check(context, (span, message) => findings.push(findingAt(rule.id, span, message, displayPath)))
  return findings.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule))
}
