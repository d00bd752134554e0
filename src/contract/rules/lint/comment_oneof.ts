import { hasDocumentation } from './comment-helpers.js'
import { oneofScope, oneofsOf, quote, spanIn, type LintRule } from './context.js'

export const commentOneof: LintRule = {
  id: 'COMMENT_ONEOF',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that oneofs have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const oneof of oneofsOf(file)) {
        // The oneof protoc makes for a proto3 `optional` field has no source of its own.
        if (oneof.synthetic) continue
        if (!hasDocumentation(oneof.comments)) {
          report(spanIn(file, oneof.span), `Oneof ${quote(oneof.name)} should have a non-empty comment for documentation.`, oneofScope(oneof))
        }
      }
    }
  }
}
