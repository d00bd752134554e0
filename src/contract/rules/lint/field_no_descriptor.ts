import { fieldScope, fieldsOf, quote, spanIn, type LintRule } from './context.js'

/** A v1beta1-only rule: in v1 and v2 buf.yaml files this ID is unknown. */
export const fieldNoDescriptor: LintRule = {
  id: 'FIELD_NO_DESCRIPTOR',
  kind: 'lint',
  categories: [],
  default: false,
  purpose: 'Checks that field names are not any capitalization of "descriptor" with any number of prefix or suffix underscores.',
  check({ files }, report) {
    for (const file of files) {
      for (const field of fieldsOf(file)) {
        if (field.name.replace(/^_+|_+$/g, '').toLowerCase() === 'descriptor') {
          report(
            spanIn(file, field.nameSpan),
            `Field name ${quote(field.name)} cannot be any capitalization of "descriptor" with any number of prefix or suffix underscores.`,
            fieldScope(field)
          )
        }
      }
    }
  }
}
