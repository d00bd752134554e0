import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSamePhpClassPrefix: BreakingRule = {
  id: 'FILE_SAME_PHP_CLASS_PREFIX',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the php_class_prefix option.',
  check(context, report) {
    checkFileOption(context, report, 'php_class_prefix', '')
  }
}
