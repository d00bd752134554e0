import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameObjcClassPrefix: BreakingRule = {
  id: 'FILE_SAME_OBJC_CLASS_PREFIX',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the objc_class_prefix option.',
  check(context, report) {
    checkFileOption(context, report, 'objc_class_prefix', '')
  }
}
