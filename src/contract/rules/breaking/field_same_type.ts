import type { BreakingRule } from './context.js'
import { reportChangedKind, reportChangedTypeName } from './fields.js'

export const fieldSameType: BreakingRule = {
  id: 'FIELD_SAME_TYPE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields have the same types in a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (head.kind !== base.kind) {
        reportChangedKind(context, report, head, base)
      } else if ((head.type === 'enum' || head.type === 'group' || head.type === 'message') && head.typeName !== base.typeName) {
        reportChangedTypeName(context, report, head, base)
      }
    }
  }
}
