import type { BreakingRule } from './context.js'
import { checkRangesKept, checkReservedNamesKept, ENUM_MAX } from './ranges.js'

export const reservedEnumNoDelete: BreakingRule = {
  id: 'RESERVED_ENUM_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that reserved ranges and names are not deleted from a given enum.',
  check(context, report) {
    for (const [head, base] of context.pairs.enums()) {
      checkRangesKept(context, report, 'reserved', 'enum', head, base, base.reservedRanges, head.reservedRanges, ENUM_MAX, ENUM_MAX)
      checkReservedNamesKept(context, report, 'enum', head, base)
    }
  }
}
