import { quote, spanIn, type LintRule } from './context.js'

export const importNoPublic: LintRule = {
  id: 'IMPORT_NO_PUBLIC',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that imports are not public.',
  check({ files }, report) {
    for (const file of files) {
      for (const imp of file.imports) {
        if (imp.modifier === 'public') report(spanIn(file, imp.span), `Import ${quote(imp.path)} must not be public.`, [imp])
      }
    }
  }
}
