import { enumScope, enumsOf, quote, spanIn, type LintRule } from './context.js'
import { toPascalCase } from './naming.js'

export const enumPascalCase: LintRule = {
  id: 'ENUM_PASCAL_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that enums are PascalCase.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        const expected = toPascalCase(e.name)
        if (e.name !== expected) {
          report(spanIn(file, e.nameSpan), `Enum name ${quote(e.name)} should be PascalCase, such as ${quote(expected)}.`, enumScope(e))
        }
      }
    }
  }
}
