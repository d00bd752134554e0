import { hasDocumentation } from './comment-helpers.js'
import { methodScope, methodsOf, quote, spanIn, type LintRule } from './context.js'

export const commentRpc: LintRule = {
  id: 'COMMENT_RPC',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that RPCs have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const method of methodsOf(file)) {
        if (!hasDocumentation(method.comments)) {
          report(spanIn(file, method.span), `RPC ${quote(method.name)} should have a non-empty comment for documentation.`, methodScope(method))
        }
      }
    }
  }
}
