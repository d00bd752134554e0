import { packageLocation, quote, type LintRule } from './context.js'
import { toLowerSnakeCase } from './naming.js'

export const packageLowerSnakeCase: LintRule = {
  id: 'PACKAGE_LOWER_SNAKE_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that packages are lower_snake.case.',
  check({ files }, report) {
    for (const file of files) {
      const pkg = file.package
      if (pkg === '') continue
      const expected = pkg.split('.').map(toLowerSnakeCase).join('.')
      if (pkg !== expected) {
        const { span, scope } = packageLocation(file)
        report(span, `Package name ${quote(pkg)} should be lower_snake.case, such as ${quote(expected)}.`, scope)
      }
    }
  }
}
