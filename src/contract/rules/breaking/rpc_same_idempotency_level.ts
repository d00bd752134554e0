import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const rpcSameIdempotencyLevel: BreakingRule = {
  id: 'RPC_SAME_IDEMPOTENCY_LEVEL',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that rpcs have the same value for the idempotency_level option.',
  check(context, report) {
    for (const [head, base] of context.pairs.methods()) {
      if (base.idempotencyLevel === head.idempotencyLevel) continue
      emit(
        context,
        report,
        { file: head.service.file, loc: head.locs.idempotencyLevel, against: base.service.file },
        `RPC ${goQuote(head.name)} on service ${goQuote(head.service.name)} changed option "idempotency_level" from ${goQuote(base.idempotencyLevel)} to ${goQuote(head.idempotencyLevel)}.`
      )
    }
  }
}
