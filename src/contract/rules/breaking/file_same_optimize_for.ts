import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameOptimizeFor: BreakingRule = {
  id: 'FILE_SAME_OPTIMIZE_FOR',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the optimize_for option.',
  check(context, report) {
    checkFileOption(context, report, 'optimize_for', 'SPEED')
  }
}
