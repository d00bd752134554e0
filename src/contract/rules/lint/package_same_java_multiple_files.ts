import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameJavaMultipleFiles: LintRule = {
  id: 'PACKAGE_SAME_JAVA_MULTIPLE_FILES',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the java_multiple_files option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'java_multiple_files')
  }
}
