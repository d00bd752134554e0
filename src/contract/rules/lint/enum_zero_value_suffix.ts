import { enumValueScope, enumsOf, quote, spanIn, type LintRule } from './context.js'

export const enumZeroValueSuffix: LintRule = {
  id: 'ENUM_ZERO_VALUE_SUFFIX',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that enum zero values have a consistent suffix (configurable, default suffix is "_UNSPECIFIED").',
  check({ files, options }, report) {
    const suffix = options.enumZeroValueSuffix
    for (const file of files) {
      for (const e of enumsOf(file)) {
        for (const value of e.values) {
          if (value.number === 0 && !value.name.endsWith(suffix)) {
            report(spanIn(file, value.nameSpan), `Enum zero value name ${quote(value.name)} should be suffixed with ${quote(suffix)}.`, enumValueScope(value))
          }
        }
      }
    }
  }
}
