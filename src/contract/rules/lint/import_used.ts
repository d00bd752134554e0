import { quote, spanIn, type LintRule } from './context.js'

export const importUsed: LintRule = {
  id: 'IMPORT_USED',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that imports are used.',
  check({ files }, report) {
    for (const file of files) {
      for (const imp of file.imports) {
        if (!imp.used) report(spanIn(file, imp.span), `Import ${quote(imp.path)} is unused.`, [imp])
      }
    }
  }
}
