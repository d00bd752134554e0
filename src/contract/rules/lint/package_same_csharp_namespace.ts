import type { LintRule } from './context.js'
import { checkPackageSameOption } from './package-same-option.js'

export const packageSameCsharpNamespace: LintRule = {
  id: 'PACKAGE_SAME_CSHARP_NAMESPACE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package have the same value for the csharp_namespace option.',
  check(context, report) {
    checkPackageSameOption(context, report, 'csharp_namespace')
  }
}
