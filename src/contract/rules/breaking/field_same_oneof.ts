import { type BreakingRule, emit } from './context.js'
import { fieldDescription, goQuote } from './format.js'

export const fieldSameOneof: BreakingRule = {
  id: 'FIELD_SAME_ONEOF',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that fields have the same oneofs in a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      // Extensions cannot be in a oneof; synthetic oneofs (proto3 optional) count as none.
      if (base.extendee !== undefined) continue
      const before = base.oneof && !base.oneof.synthetic ? base.oneof : undefined
      const after = head.oneof && !head.oneof.synthetic ? head.oneof : undefined
      if (!before && !after) continue
      const where = { file: head.file, loc: head.locs.self, against: base.file }
      if (before && after) {
        // buf's message really has the stray "q" after the description.
        if (before.name !== after.name) {
          emit(context, report, where, `${fieldDescription(head)}q moved from oneof ${goQuote(before.name)} to oneof ${goQuote(after.name)}.`)
        }
        continue
      }
      const [from, to] = after ? ['outside', 'inside'] : ['inside', 'outside']
      emit(context, report, where, `${fieldDescription(head)} moved from ${from} to ${to} a oneof.`)
    }
  }
}
