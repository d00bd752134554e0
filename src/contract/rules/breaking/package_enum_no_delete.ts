import type { BreakingRule } from './context.js'
import { checkNoDeleteFromPackage } from './deletions.js'
import { allEnums } from './model.js'

export const packageEnumNoDelete: BreakingRule = {
  id: 'PACKAGE_ENUM_NO_DELETE',
  kind: 'breaking',
  categories: ['PACKAGE'],
  default: false,
  purpose: 'Checks that enums are not deleted from a given package.',
  check(context, report) {
    checkNoDeleteFromPackage(context, report, 'enum', allEnums)
  }
}
