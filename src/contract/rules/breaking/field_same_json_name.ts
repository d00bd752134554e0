import { type BreakingRule, emit, firstLoc } from './context.js'
import { fieldDescription, goQuote } from './format.js'

export const fieldSameJsonName: BreakingRule = {
  id: 'FIELD_SAME_JSON_NAME',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON'],
  default: true,
  purpose: 'Checks that fields have the same value for the json_name option.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      // Extensions cannot set json_name.
      if (base.extendee !== undefined || base.jsonName === head.jsonName) continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.jsonName, head.locs.self), against: base.file },
        `${fieldDescription(head)} changed option "json_name" from ${goQuote(base.jsonName)} to ${goQuote(head.jsonName)}.`
      )
    }
  }
}
