import { enumValueScope, enumsOf, quote, spanIn, type LintRule } from './context.js'

export const enumFirstValueZero: LintRule = {
  id: 'ENUM_FIRST_VALUE_ZERO',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all first values of enums have a numeric value of 0.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        const first = e.values[0]
        if (first && first.number !== 0) {
          // buf's message has no final period.
          report(spanIn(file, first.numberSpan), `First enum value ${quote(first.name)} should have a numeric value of 0`, enumValueScope(first))
        }
      }
    }
  }
}
