import type { BreakingRule } from './context.js'
import { checkFileOption } from './file-values.js'

export const fileSamePyGenericServices: BreakingRule = {
  id: 'FILE_SAME_PY_GENERIC_SERVICES',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that files have the same value for the py_generic_services option.',
  check(context, report) {
    checkFileOption(context, report, 'py_generic_services', 'false')
  }
}
