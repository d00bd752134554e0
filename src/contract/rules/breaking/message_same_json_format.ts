import { type BreakingRule, emit, firstLoc } from './context.js'
import { goQuote } from './format.js'

export const messageSameJsonFormat: BreakingRule = {
  id: 'MESSAGE_SAME_JSON_FORMAT',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON'],
  default: true,
  purpose: 'Checks that messages have the same JSON format support.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      if (base.jsonFormat !== 'ALLOW' || head.jsonFormat === 'ALLOW') continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.jsonFormat, head.locs.self), against: base.file },
        `Message ${goQuote(head.name)} JSON format support changed from ${base.jsonFormat} to ${head.jsonFormat}.`
      )
    }
  }
}
