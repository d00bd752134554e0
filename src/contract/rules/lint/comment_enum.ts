import { hasDocumentation } from './comment-helpers.js'
import { enumScope, enumsOf, quote, spanIn, type LintRule } from './context.js'

export const commentEnum: LintRule = {
  id: 'COMMENT_ENUM',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that enums have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        if (!hasDocumentation(e.comments)) {
          report(spanIn(file, e.span), `Enum ${quote(e.name)} should have a non-empty comment for documentation.`, enumScope(e))
        }
      }
    }
  }
}
