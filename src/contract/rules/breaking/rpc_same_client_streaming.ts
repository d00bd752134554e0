import type { BreakingRule } from './context.js'
import { checkStreaming } from './methods.js'

export const rpcSameClientStreaming: BreakingRule = {
  id: 'RPC_SAME_CLIENT_STREAMING',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that rpcs have the same client streaming value.',
  check(context, report) {
    checkStreaming(context, report, 'client')
  }
}
