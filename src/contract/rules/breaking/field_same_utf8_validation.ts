import { type BreakingRule, emit, firstLoc } from './context.js'
import { fieldDescription } from './format.js'

export const fieldSameUtf8Validation: BreakingRule = {
  id: 'FIELD_SAME_UTF8_VALIDATION',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that string fields have the same UTF8 validation mode.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (head.kind !== 'string' || base.kind !== 'string') continue
      if (base.utf8Validation === head.utf8Validation) continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.utf8Validation, head.locs.self), against: base.file },
        `${fieldDescription(head)} changed UTF8 validation from ${base.utf8Validation} to ${head.utf8Validation}.`
      )
    }
  }
}
