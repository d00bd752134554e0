import type { BreakingRule } from './context.js'
import { checkFieldNoDelete } from './deletions.js'

export const fieldNoDeleteUnlessNumberReserved: BreakingRule = {
  id: 'FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON', 'WIRE'],
  default: false,
  purpose: 'Checks that fields are not deleted from a given message unless the number is reserved.',
  check(context, report) {
    checkFieldNoDelete(context, report, 'unless-number-reserved')
  }
}
