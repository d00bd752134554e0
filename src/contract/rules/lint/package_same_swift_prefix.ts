import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameSwiftPrefix: LintRule = {
  id: 'PACKAGE_SAME_SWIFT_PREFIX',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the swift_prefix option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'swift_prefix')
  }
}
