import type { LintRule } from './context.js'
import { checkStandardName } from './rpc-standard-name.js'

export const rpcRequestStandardName: LintRule = {
  id: 'RPC_REQUEST_STANDARD_NAME',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that RPC request type names are RPCNameRequest or ServiceNameRPCNameRequest (configurable).',
  check(context, report) {
    checkStandardName(context, report, 'request', context.options.rpcAllowGoogleProtobufEmptyRequests)
  }
}
