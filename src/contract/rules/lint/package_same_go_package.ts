import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameGoPackage: LintRule = {
  id: 'PACKAGE_SAME_GO_PACKAGE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the go_package option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'go_package')
  }
}
