import { fieldScope, fieldsOf, quote, spanIn, type LintRule } from './context.js'

export const fieldNotRequired: LintRule = {
  id: 'FIELD_NOT_REQUIRED',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that fields are not configured to be required.',
  check({ files }, report) {
    for (const file of files) {
      for (const field of fieldsOf(file)) {
        // The resolved cardinality covers proto2 `required` and editions' LEGACY_REQUIRED presence.
        if (field.cardinality === 'required') {
          report(spanIn(file, field.nameSpan), `Field named ${quote(field.name)} should not be required.`, fieldScope(field))
        }
      }
    }
  }
}
