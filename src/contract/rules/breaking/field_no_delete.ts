import type { BreakingRule } from './context.js'
import { checkFieldNoDelete } from './deletions.js'

export const fieldNoDelete: BreakingRule = {
  id: 'FIELD_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields are not deleted from a given message.',
  check(context, report) {
    checkFieldNoDelete(context, report, 'always')
  }
}
