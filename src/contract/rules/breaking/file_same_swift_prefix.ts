import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameSwiftPrefix: BreakingRule = {
  id: 'FILE_SAME_SWIFT_PREFIX',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the swift_prefix option.',
  check(context, report) {
    checkFileOption(context, report, 'swift_prefix', '')
  }
}
