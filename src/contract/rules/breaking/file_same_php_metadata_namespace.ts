import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSamePhpMetadataNamespace: BreakingRule = {
  id: 'FILE_SAME_PHP_METADATA_NAMESPACE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the php_metadata_namespace option.',
  check(context, report) {
    checkFileOption(context, report, 'php_metadata_namespace', '')
  }
}
