import type { BreakingRule } from './context.js'
import { checkEnumValueNoDelete } from './deletions.js'

export const enumValueNoDeleteUnlessNameReserved: BreakingRule = {
  id: 'ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON'],
  default: false,
  purpose: 'Checks that enum values are not deleted from a given enum unless the name is reserved.',
  check(context, report) {
    checkEnumValueNoDelete(context, report, 'unless-name-reserved')
  }
}
