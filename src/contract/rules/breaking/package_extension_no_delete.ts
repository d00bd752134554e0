import type { BreakingRule } from './context.js'
import { checkNoDeleteFromPackage } from './deletions.js'
import { allExtensions } from './model.js'

export const packageExtensionNoDelete: BreakingRule = {
  id: 'PACKAGE_EXTENSION_NO_DELETE',
  kind: 'breaking',
  categories: ['PACKAGE'],
  default: false,
  purpose: 'Checks that extensions are not deleted from a given package.',
  check(context, report) {
    checkNoDeleteFromPackage(context, report, 'extension', allExtensions)
  }
}
