import { hasDocumentation } from './comment-helpers.js'
import { quote, serviceScope, spanIn, type LintRule } from './context.js'

export const commentService: LintRule = {
  id: 'COMMENT_SERVICE',
  kind: 'lint',
  categories: ['COMMENTS'],
  default: false,
  purpose: 'Checks that services have non-empty comments.',
  check({ files }, report) {
    for (const file of files) {
      for (const service of file.services) {
        if (!hasDocumentation(service.comments)) {
          report(spanIn(file, service.span), `Service ${quote(service.name)} should have a non-empty comment for documentation.`, serviceScope(service))
        }
      }
    }
  }
}
