import type { BreakingRule } from './context.js'
import { checkMessageType } from './methods.js'

export const rpcSameRequestType: BreakingRule = {
  id: 'RPC_SAME_REQUEST_TYPE',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  default: true,
  purpose: 'Checks that rpcs are have the same request type.',
  check(context, report) {
    checkMessageType(context, report, 'request')
  }
}
