import type { BreakingRule } from './context.js'
import { checkMessageType } from './methods.js'

export const rpcSameResponseType: BreakingRule = {
  id: 'RPC_SAME_RESPONSE_TYPE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that rpcs are have the same response type.',
  check(context, report) {
    checkMessageType(context, report, 'response')
  }
}
