import type { BreakingRule } from './context.js'
import { checkStreaming } from './methods.js'

export const rpcSameServerStreaming: BreakingRule = {
  id: 'RPC_SAME_SERVER_STREAMING',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that rpcs have the same server streaming value.',
  check(context, report) {
    checkStreaming(context, report, 'server')
  }
}
