import { type BreakingRule, emit, firstLoc } from './context.js'
import { goQuote } from './format.js'

export const enumSameType: BreakingRule = {
  id: 'ENUM_SAME_TYPE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that enums have the same type (open vs closed).',
  check(context, report) {
    for (const [head, base] of context.pairs.enums()) {
      if (head.closed === base.closed) continue
      const [before, after] = head.closed ? ['open', 'closed'] : ['closed', 'open']
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.enumType, head.locs.self), against: base.file },
        `Enum ${goQuote(head.name)} changed from ${before} to ${after}.`
      )
    }
  }
}
