import { enumValueScope, enumsOf, quote, spanIn, type LintRule } from './context.js'
import { toUpperSnakeCase } from './naming.js'

export const enumValuePrefix: LintRule = {
  id: 'ENUM_VALUE_PREFIX',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that enum values are prefixed with ENUM_NAME_UPPER_SNAKE_CASE.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        const prefix = toUpperSnakeCase(e.name) + '_'
        for (const value of e.values) {
          if (!value.name.startsWith(prefix)) {
            report(spanIn(file, value.nameSpan), `Enum value name ${quote(value.name)} should be prefixed with ${quote(prefix)}.`, enumValueScope(value))
          }
        }
      }
    }
  }
}
