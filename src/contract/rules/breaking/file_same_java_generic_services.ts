import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameJavaGenericServices: BreakingRule = {
  id: 'FILE_SAME_JAVA_GENERIC_SERVICES',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the java_generic_services option.',
  check(context, report) {
    checkFileOption(context, report, 'java_generic_services', 'false')
  }
}
