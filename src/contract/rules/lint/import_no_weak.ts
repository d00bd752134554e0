import type { LintRule } from './context.js'

/**
 * Deprecated in buf with no replacement: naming it in `use` selects nothing, so its check never
 * runs. It stays registered so configs that mention it load, as in buf.
 */
export const importNoWeak: LintRule = {
  id: 'IMPORT_NO_WEAK',
  kind: 'lint',
  categories: [],
  default: false,
  purpose: 'Checks that imports are not weak.',
  deprecated: true,
  check() {}
}
