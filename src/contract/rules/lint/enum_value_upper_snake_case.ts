import { enumValueScope, enumsOf, quote, spanIn, type LintRule } from './context.js'
import { toUpperSnakeCase } from './naming.js'

export const enumValueUpperSnakeCase: LintRule = {
  id: 'ENUM_VALUE_UPPER_SNAKE_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that enum values are UPPER_SNAKE_CASE.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        for (const value of e.values) {
          const expected = toUpperSnakeCase(value.name)
          if (value.name !== expected) {
            report(spanIn(file, value.nameSpan), `Enum value name ${quote(value.name)} should be UPPER_SNAKE_CASE, such as ${quote(expected)}.`, enumValueScope(value))
          }
        }
      }
    }
  }
}
