import { methodScope, methodsOf, quote, spanIn, type LintRule } from './context.js'
import { toPascalCase } from './naming.js'

export const rpcPascalCase: LintRule = {
  id: 'RPC_PASCAL_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that RPCs are PascalCase.',
  check({ files }, report) {
    for (const file of files) {
      for (const method of methodsOf(file)) {
        const expected = toPascalCase(method.name)
        if (method.name !== expected) {
          report(spanIn(file, method.nameSpan), `RPC name ${quote(method.name)} should be PascalCase, such as ${quote(expected)}.`, methodScope(method))
        }
      }
    }
  }
}
