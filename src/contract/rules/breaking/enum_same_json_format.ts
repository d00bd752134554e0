import { type BreakingRule, emit, firstLoc } from './context.js'
import { goQuote } from './format.js'

export const enumSameJsonFormat: BreakingRule = {
  id: 'ENUM_SAME_JSON_FORMAT',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON'],
  default: true,
  purpose: 'Checks that enums have the same JSON format support.',
  check(context, report) {
    for (const [head, base] of context.pairs.enums()) {
      if (base.jsonFormat !== 'ALLOW' || head.jsonFormat === 'ALLOW') continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.jsonFormat, head.locs.self), against: base.file },
        `Enum ${goQuote(head.name)} JSON format support changed from ${base.jsonFormat} to ${head.jsonFormat}.`
      )
    }
  }
}
