import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameJavaPackage: BreakingRule = {
  id: 'FILE_SAME_JAVA_PACKAGE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the java_package option.',
  check(context, report) {
    checkFileOption(context, report, 'java_package', '')
  }
}
