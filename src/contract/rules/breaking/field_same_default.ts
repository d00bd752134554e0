import { type BreakingRule, emit, firstLoc } from './context.js'
import { canHaveDefault, defaultsEqual, fieldDefault, isZeroDefault } from './defaults.js'
import { fieldDescription } from './format.js'

export const fieldSameDefault: BreakingRule = {
  id: 'FIELD_SAME_DEFAULT',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that fields have the same default value, if a default is specified.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (!canHaveDefault(base) || !canHaveDefault(head)) continue
      const before = fieldDefault(base)
      const after = fieldDefault(head)
      if ((isZeroDefault(before) && isZeroDefault(after)) || defaultsEqual(before, after)) continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.default, head.locs.self), against: base.file },
        `${fieldDescription(head)} changed default value from ${before.printable} to ${after.printable}.`
      )
    }
  }
}
