import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const rpcNoDelete: BreakingRule = {
  id: 'RPC_NO_DELETE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that rpcs are not deleted from a given service.',
  check(context, report) {
    for (const [head, base] of context.pairs.services()) {
      const headNames = new Set(head.methods.map((method) => method.name))
      for (const method of base.methods) {
        if (headNames.has(method.name)) continue
        emit(
          context,
          report,
          { file: head.file, loc: head.locs.self, against: base.file },
          `Previously present RPC ${goQuote(method.name)} on service ${goQuote(head.name)} was deleted.`
        )
      }
    }
  }
}
