import type { BreakingRule } from './context.js'
import { checkRangesKept, messageMax } from './ranges.js'

export const extensionMessageNoDelete: BreakingRule = {
  id: 'EXTENSION_MESSAGE_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that extension ranges are not deleted from a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      checkRangesKept(context, report, 'extension', 'message', head, base, base.extensionRanges, head.extensionRanges, messageMax(base), messageMax(head))
    }
  }
}
