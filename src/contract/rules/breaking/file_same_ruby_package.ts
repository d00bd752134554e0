import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameRubyPackage: BreakingRule = {
  id: 'FILE_SAME_RUBY_PACKAGE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the ruby_package option.',
  check(context, report) {
    checkFileOption(context, report, 'ruby_package', '')
  }
}
