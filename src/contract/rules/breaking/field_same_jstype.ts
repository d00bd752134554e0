import { type BreakingRule, emit, firstLoc } from './context.js'
import { is64BitInteger } from './fields.js'
import { fieldDescription, goQuote } from './format.js'

export const fieldSameJstype: BreakingRule = {
  id: 'FIELD_SAME_JSTYPE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields have the same value for the jstype option.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (!is64BitInteger(base.type) || !is64BitInteger(head.type)) continue
      if (base.jstype === head.jstype) continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.jstype, head.locs.self), against: base.file },
        `${fieldDescription(head)} changed option "jstype" from ${goQuote(base.jstype)} to ${goQuote(head.jstype)}.`
      )
    }
  }
}
