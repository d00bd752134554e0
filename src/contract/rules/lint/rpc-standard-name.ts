import type { MethodDecl } from '../../proto/ast.js'
import type { Report } from '../types.js'
import { methodScope, methodTypeName, methodsOf, quote, spanIn, type LintContext } from './context.js'
import { toPascalCase } from './naming.js'

/** RPC_REQUEST_STANDARD_NAME / RPC_RESPONSE_STANDARD_NAME: `<Rpc>Request` or `<Service><Rpc>Request`. */
export function checkStandardName({ files }: LintContext, report: Report, side: 'request' | 'response', allowEmpty: boolean): void {
  const suffix = side === 'request' ? 'Request' : 'Response'
  for (const file of files) {
    for (const method of methodsOf(file)) {
      const full = side === 'request' ? methodTypeName(method.resolvedInputType, method.inputType) : methodTypeName(method.resolvedOutputType, method.outputType)
      if (allowEmpty && full === 'google.protobuf.Empty') continue
      const simple = full.slice(full.lastIndexOf('.') + 1)
      const expected = toPascalCase(method.name) + suffix
      const expectedWithService = toPascalCase(method.parent.name) + expected
      if (simple !== expected && simple !== expectedWithService) {
        report(
          spanIn(file, typeSpan(method, side)),
          `RPC ${side} type ${quote(simple)} should be named ${quote(expected)} or ${quote(expectedWithService)}.`,
          methodScope(method)
        )
      }
    }
  }
}

function typeSpan(method: MethodDecl, side: 'request' | 'response') {
  return side === 'request' ? method.inputTypeSpan : method.outputTypeSpan
}
