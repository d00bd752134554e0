import type { BreakingRule } from './context.js'
import { checkRangesKept, checkReservedNamesKept, messageMax } from './ranges.js'

export const reservedMessageNoDelete: BreakingRule = {
  id: 'RESERVED_MESSAGE_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that reserved ranges and names are not deleted from a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      checkRangesKept(context, report, 'reserved', 'message', head, base, base.reservedRanges, head.reservedRanges, messageMax(base), messageMax(head))
      checkReservedNamesKept(context, report, 'message', head, base)
    }
  }
}
