import type { BreakingRule } from './context.js'
import { checkFileValue } from './file-values.js'

export const fileSameSyntax: BreakingRule = {
  id: 'FILE_SAME_SYNTAX',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same syntax.',
  check(context, report) {
    for (const [head, base] of context.pairs.files()) {
      checkFileValue(context, report, head, base, 'syntax', base.syntax, head.syntax, head.locs.syntax)
    }
  }
}
