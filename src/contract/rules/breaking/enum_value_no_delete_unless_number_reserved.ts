import type { BreakingRule } from './context.js'
import { checkEnumValueNoDelete } from './deletions.js'

export const enumValueNoDeleteUnlessNumberReserved: BreakingRule = {
  id: 'ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON', 'WIRE'],
  default: false,
  purpose: 'Checks that enum values are not deleted from a given enum unless the number is reserved.',
  check(context, report) {
    checkEnumValueNoDelete(context, report, 'unless-number-reserved')
  }
}
