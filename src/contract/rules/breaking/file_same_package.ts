import type { BreakingRule } from './context.js'
import { checkFileValue } from './file-values.js'

export const fileSamePackage: BreakingRule = {
  id: 'FILE_SAME_PACKAGE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that files have the same package.',
  check(context, report) {
    for (const [head, base] of context.pairs.files()) {
      checkFileValue(context, report, head, base, 'package', base.package, head.package, head.locs.package)
    }
  }
}
