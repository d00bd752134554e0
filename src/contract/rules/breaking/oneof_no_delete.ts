import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const oneofNoDelete: BreakingRule = {
  id: 'ONEOF_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that oneofs are not deleted from a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      const headNames = new Set(head.oneofs.map((oneof) => oneof.name))
      for (const oneof of base.oneofs) {
        // Synthetic oneofs of proto3 optional fields are a presence detail, checked elsewhere.
        if (oneof.synthetic || headNames.has(oneof.name)) continue
        emit(
          context,
          report,
          { file: head.file, loc: head.locs.self, against: base.file },
          `Previously present oneof ${goQuote(oneof.name)} on message ${goQuote(head.name)} was deleted.`
        )
      }
    }
  }
}
