import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameCcEnableArenas: BreakingRule = {
  id: 'FILE_SAME_CC_ENABLE_ARENAS',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the cc_enable_arenas option.',
  check(context, report) {
    checkFileOption(context, report, 'cc_enable_arenas', 'true')
  }
}
