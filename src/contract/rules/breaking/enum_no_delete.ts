import type { BreakingRule } from './context.js'
import { checkNoDeleteFromFile } from './deletions.js'
import { allEnums } from './model.js'

export const enumNoDelete: BreakingRule = {
  id: 'ENUM_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE'],
  default: true,
  purpose: 'Checks that enums are not deleted from a given file.',
  check(context, report) {
    checkNoDeleteFromFile(context, report, 'enum', allEnums)
  }
}
