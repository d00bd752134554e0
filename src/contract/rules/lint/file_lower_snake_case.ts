import { quote, wholeFile, type LintRule } from './context.js'
import { toLowerSnakeCase } from './naming.js'

export const fileLowerSnakeCase: LintRule = {
  id: 'FILE_LOWER_SNAKE_CASE',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that filenames are lower_snake_case.',
  check({ files }, report) {
    for (const file of files) {
      const base = file.path.slice(file.path.lastIndexOf('/') + 1)
      const dot = base.lastIndexOf('.')
      const ext = dot < 0 ? '' : base.slice(dot)
      const stem = base.slice(0, base.length - ext.length)
      const expected = toLowerSnakeCase(stem)
      if (stem !== expected) {
        report(wholeFile(file), `Filename ${quote(base)} should be lower_snake_case${ext}, such as "${expected}${ext}".`)
      }
    }
  }
}
