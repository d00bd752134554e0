import type { BreakingRule } from './context.js'
import { checkNoDeleteFromFile } from './deletions.js'
import { allExtensions } from './model.js'

export const extensionNoDelete: BreakingRule = {
  id: 'EXTENSION_NO_DELETE',
  kind: 'breaking',
  categories: ['FILE'],
  default: true,
  purpose: 'Checks that extensions are not deleted from a given file.',
  check(context, report) {
    checkNoDeleteFromFile(context, report, 'extension', allExtensions)
  }
}
