import { methodScope, methodsOf, quote, spanIn, type LintRule } from './context.js'

export const rpcNoClientStreaming: LintRule = {
  id: 'RPC_NO_CLIENT_STREAMING',
  kind: 'lint',
  categories: ['UNARY_RPC'],
  default: false,
  purpose: 'Checks that RPCs are not client streaming.',
  check({ files }, report) {
    for (const file of files) {
      for (const method of methodsOf(file)) {
        if (method.clientStreaming) report(spanIn(file, method.span), `RPC ${quote(method.name)} is client streaming.`, methodScope(method))
      }
    }
  }
}
