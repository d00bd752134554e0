import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameJavaOuterClassname: BreakingRule = {
  id: 'FILE_SAME_JAVA_OUTER_CLASSNAME',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the java_outer_classname option.',
  check(context, report) {
    checkFileOption(context, report, 'java_outer_classname', '')
  }
}
