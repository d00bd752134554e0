/**
 * The shape every contract rule shares. A rule is one small registered unit: an ID in buf's style,
 * its categories (buf v2 names), whether it is on by default, a purpose sentence, and a check.
 * A check reports findings and throws only when it cannot run; it never decides severity.
 */

export interface Span {
  path: string
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** A declaration whose leading comment may hold `buf:lint:ignore <RULE_ID>` for a finding. */
export interface CommentScope {
  comments: { leading?: string }
}

/**
 * Report a finding; a missing span means the finding is about the whole input (buf prints <input>:1:1).
 * `commentScope` lists the declarations, outermost first, whose leading comments may suppress the
 * finding with `buf:lint:ignore` (buf's "associated source paths" of the location).
 */
export type Report = (span: Span | undefined, message: string, commentScope?: readonly CommentScope[]) => void

export interface RuleSpec<Kind extends 'lint' | 'breaking', Context> {
  id: string
  kind: Kind
  /** buf v2 categories, e.g. ['MINIMAL', 'BASIC', 'STANDARD'] or ['FILE', 'PACKAGE']. */
  categories: readonly string[]
  /** On when the config names no rules (buf's default set). */
  default: boolean
  /** One sentence, buf's wording: "Checks that …". */
  purpose: string
  deprecated?: boolean
  check(context: Context, report: Report): void
}

/**
 * Thrown by a check that met input it cannot judge yet (e.g. protovalidate CEL); the engine
 * reports the rule as not run with this reason instead of passing silently.
 */
export class RuleNotImplementedError extends Error {
  override readonly name = 'RuleNotImplementedError'
  constructor(
    readonly ruleId: string,
    readonly reason: string,
    /** The first input the rule could not judge. */
    readonly span?: Span
  ) {
    super(`${ruleId} was not run: ${reason}`)
  }
}
