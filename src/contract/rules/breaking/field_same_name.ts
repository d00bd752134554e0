import { type BreakingRule, emit } from './context.js'
import { fieldDescriptionWithName, goQuote } from './format.js'

export const fieldSameName: BreakingRule = {
  id: 'FIELD_SAME_NAME',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON'],
  default: true,
  purpose: 'Checks that fields have the same names in a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      // Extensions are known by their full name.
      const before = base.extendee !== undefined ? base.fullName : base.name
      const after = base.extendee !== undefined ? head.fullName : head.name
      if (before === after) continue
      emit(
        context,
        report,
        { file: head.file, loc: head.locs.name, against: base.file },
        `${fieldDescriptionWithName(head, '')} changed name from ${goQuote(before)} to ${goQuote(after)}.`
      )
    }
  }
}
