import type { BreakingRule } from './context.js'
import { checkEnumValueNoDelete } from './deletions.js'

export const enumValueNoDelete: BreakingRule = {
  id: 'ENUM_VALUE_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that enum values are not deleted from a given enum.',
  check(context, report) {
    checkEnumValueNoDelete(context, report, 'always')
  }
}
