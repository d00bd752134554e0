import type { MethodDecl } from '../../proto/ast.js'
import { methodScope, methodTypeName, methodsOf, quote, spanIn, type LintRule } from './context.js'

const EMPTY = 'google.protobuf.Empty'

export const rpcRequestResponseUnique: LintRule = {
  id: 'RPC_REQUEST_RESPONSE_UNIQUE',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that RPC request and response types are only used in one RPC (configurable).',
  check({ files, options }, report) {
    const allowEmptyRequests = options.rpcAllowGoogleProtobufEmptyRequests
    const allowEmptyResponses = options.rpcAllowGoogleProtobufEmptyResponses
    const methods: { method: MethodDecl; input: string; output: string }[] = []
    for (const file of files) {
      for (const method of methodsOf(file)) {
        methods.push({ method, input: methodTypeName(method.resolvedInputType, method.inputType), output: methodTypeName(method.resolvedOutputType, method.outputType) })
      }
    }
    const flag = (method: MethodDecl, message: string) => report(spanIn(method.parent.file, method.span), message, methodScope(method))

    if (!options.rpcAllowSameRequestResponse) {
      for (const { method, input, output } of methods) {
        if (input === output && !(input === EMPTY && allowEmptyRequests && allowEmptyResponses)) {
          flag(method, `RPC ${quote(method.name)} has the same type ${quote(input)} for the request and response.`)
        }
      }
    }

    const usersByType = new Map<string, Set<(typeof methods)[number]>>()
    for (const entry of methods) {
      for (const type of [entry.input, entry.output]) {
        let users = usersByType.get(type)
        if (!users) usersByType.set(type, (users = new Set()))
        users.add(entry)
      }
    }
    for (const [type, users] of usersByType) {
      if (users.size < 2) continue
      if (type === EMPTY && (allowEmptyRequests || allowEmptyResponses)) {
        if (allowEmptyRequests && allowEmptyResponses) continue
        const asRequest = [...users].filter((u) => u.input === EMPTY)
        const asResponse = [...users].filter((u) => u.output === EMPTY)
        if (!allowEmptyRequests && asRequest.length > 1) {
          for (const u of asRequest) flag(u.method, `${quote(type)} is used as the request for multiple RPCs.`)
        }
        if (!allowEmptyResponses && asResponse.length > 1) {
          for (const u of asResponse) flag(u.method, `${quote(type)} is used as the response for multiple RPCs.`)
        }
        continue
      }
      for (const u of users) flag(u.method, `${quote(type)} is used as the request or response type for multiple RPCs.`)
    }
  }
}
