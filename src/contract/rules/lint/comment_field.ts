import { hasDocumentation } from './comment-helpers.js'
import { fieldScope, fieldsOf, quote, spanIn, type LintRule } from './context.js'

export const commentField: LintRule = {
  id: 'COMMENT_FIELD',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that fields have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const field of fieldsOf(file)) {
        // Map entry fields are synthetic, and a group's comments belong to its message.
        if (field.parent?.synthetic === 'map-entry' || field.group) continue
        if (!hasDocumentation(field.comments)) {
          report(spanIn(file, field.span), `Field ${quote(field.name)} should have a non-empty comment for documentation.`, fieldScope(field))
        }
      }
    }
  }
}
