import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSamePhpNamespace: LintRule = {
  id: 'PACKAGE_SAME_PHP_NAMESPACE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the php_namespace option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'php_namespace')
  }
}
