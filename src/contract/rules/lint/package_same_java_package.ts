import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameJavaPackage: LintRule = {
  id: 'PACKAGE_SAME_JAVA_PACKAGE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the java_package option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'java_package')
  }
}
