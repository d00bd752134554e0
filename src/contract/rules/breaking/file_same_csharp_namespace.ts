import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameCsharpNamespace: BreakingRule = {
  id: 'FILE_SAME_CSHARP_NAMESPACE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the csharp_namespace option.',
  check(context, report) {
    checkFileOption(context, report, 'csharp_namespace', '')
  }
}
