import type { BreakingRule } from './context.js'
import { checkFieldNoDelete } from './deletions.js'

export const fieldNoDeleteUnlessNameReserved: BreakingRule = {
  id: 'FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON'],
  default: false,
  purpose: 'Checks that fields are not deleted from a given message unless the name is reserved.',
  check(context, report) {
    checkFieldNoDelete(context, report, 'unless-name-reserved')
  }
}
