import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameGoPackage: BreakingRule = {
  id: 'FILE_SAME_GO_PACKAGE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the go_package option.',
  check(context, report) {
    checkFileOption(context, report, 'go_package', '')
  }
}
