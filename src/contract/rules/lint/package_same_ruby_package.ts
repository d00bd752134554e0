import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameRubyPackage: LintRule = {
  id: 'PACKAGE_SAME_RUBY_PACKAGE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the ruby_package option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'ruby_package')
  }
}
