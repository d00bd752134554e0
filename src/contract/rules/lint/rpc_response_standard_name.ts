import type { LintRule } from './context.js'
import { checkStandardName } from './rpc-standard-name.js'

export const rpcResponseStandardName: LintRule = {
  id: 'RPC_RESPONSE_STANDARD_NAME',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that RPC response type names are RPCNameResponse or ServiceNameRPCNameResponse (configurable).',
  check(context, report) {
    checkStandardName(context, report, 'response', context.options.rpcAllowGoogleProtobufEmptyResponses)
  }
}
