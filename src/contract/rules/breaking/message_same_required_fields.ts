import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const messageSameRequiredFields: BreakingRule = {
  id: 'MESSAGE_SAME_REQUIRED_FIELDS',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that messages have no added or deleted required fields.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      const headRequired = new Map(head.fields.filter((field) => field.label === 'required').map((field) => [field.number, field]))
      const baseRequired = new Set(base.fields.filter((field) => field.label === 'required').map((field) => field.number))
      for (const number of baseRequired) {
        if (headRequired.has(number)) continue
        emit(
          context,
          report,
          { file: head.file, loc: head.locs.self, against: base.file },
          `Message ${goQuote(base.name)} had required field ${goQuote(String(number))} deleted. ${CONSEQUENCE}`
        )
      }
      for (const [number, field] of headRequired) {
        if (baseRequired.has(number)) continue
        // An added field has no base element, so only the head side counts for ignores.
        emit(context, report, { file: field.file, loc: field.locs.self }, `Message ${goQuote(head.name)} had required field ${goQuote(String(number))} added. ${CONSEQUENCE}`)
      }
    }
  }
}

const CONSEQUENCE =
  'Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage.'
