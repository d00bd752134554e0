import { fieldScope, fieldsOf, quote, spanIn, type LintRule } from './context.js'
import { toLowerSnakeCase } from './naming.js'

export const fieldLowerSnakeCase: LintRule = {
  id: 'FIELD_LOWER_SNAKE_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that field names are lower_snake_case.',
  check({ files }, report) {
    for (const file of files) {
      for (const field of fieldsOf(file)) {
        if (field.parent?.synthetic === 'map-entry') continue
        const expected = toLowerSnakeCase(field.name)
        if (field.name !== expected) {
          report(spanIn(file, field.nameSpan), `Field name ${quote(field.name)} should be lower_snake_case, such as ${quote(expected)}.`, fieldScope(field))
        }
      }
    }
  }
}
