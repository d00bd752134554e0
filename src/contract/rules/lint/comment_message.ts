import { hasDocumentation } from './comment-helpers.js'
import { messageScope, messagesOf, quote, spanIn, type LintRule } from './context.js'

export const commentMessage: LintRule = {
  id: 'COMMENT_MESSAGE',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that messages have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const message of messagesOf(file)) {
        if (message.synthetic === 'map-entry') continue
        if (!hasDocumentation(message.comments)) {
          report(spanIn(file, message.span), `Message ${quote(message.name)} should have a non-empty comment for documentation.`, messageScope(message))
        }
      }
    }
  }
}
