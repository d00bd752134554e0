import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSamePhpNamespace: BreakingRule = {
  id: 'FILE_SAME_PHP_NAMESPACE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the php_namespace option.',
  check(context, report) {
    checkFileOption(context, report, 'php_namespace', '')
  }
}
