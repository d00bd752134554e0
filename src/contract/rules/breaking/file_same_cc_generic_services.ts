import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSameCcGenericServices: BreakingRule = {
  id: 'FILE_SAME_CC_GENERIC_SERVICES',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the cc_generic_services option.',
  check(context, report) {
    checkFileOption(context, report, 'cc_generic_services', 'false')
  }
}
