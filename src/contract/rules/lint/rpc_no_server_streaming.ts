import { methodScope, methodsOf, quote, spanIn, type LintRule } from './context.js'

export const rpcNoServerStreaming: LintRule = {
  id: 'RPC_NO_SERVER_STREAMING',
  kind: 'lint',
  categories: ['UNARY_RPC'],
  default: false,
  purpose: 'Checks that RPCs are not server streaming.',
  check({ files }, report) {
    for (const file of files) {
      for (const method of methodsOf(file)) {
        if (method.serverStreaming) report(spanIn(file, method.span), `RPC ${quote(method.name)} is server streaming.`, methodScope(method))
      }
    }
  }
}
