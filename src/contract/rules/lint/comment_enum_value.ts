import { hasDocumentation } from './comment-helpers.js'
import { enumValueScope, enumsOf, quote, spanIn, type LintRule } from './context.js'

export const commentEnumValue: LintRule = {
  id: 'COMMENT_ENUM_VALUE',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that enum values have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        for (const value of e.values) {
          if (!hasDocumentation(value.comments)) {
            report(spanIn(file, value.span), `Enum value ${quote(value.name)} should have a non-empty comment for documentation.`, enumValueScope(value))
          }
        }
      }
    }
  }
}
