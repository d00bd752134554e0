import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameJavaMultipleFiles: BreakingRule = {
  id: 'FILE_SAME_JAVA_MULTIPLE_FILES',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the java_multiple_files option.',
  check(context, report) {
    checkFileOption(context, report, 'java_multiple_files', 'false')
  }
}
