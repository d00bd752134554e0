import { enumScope, enumsOf, optionScope, quote, spanIn, type LintRule } from './context.js'

export const enumNoAllowAlias: LintRule = {
  id: 'ENUM_NO_ALLOW_ALIAS',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that enums do not have the allow_alias option set.',
  check({ files }, report) {
    for (const file of files) {
      for (const e of enumsOf(file)) {
        const option = e.option('allow_alias')
        if (option && e.boolOption('allow_alias') === true) {
          report(spanIn(file, option.span), `Enum option "allow_alias" on enum ${quote(e.name)} must be false.`, optionScope(enumScope(e), option))
        }
      }
    }
  }
}
