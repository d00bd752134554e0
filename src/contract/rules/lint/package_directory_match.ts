import { directoryOf, packageLocation, quote, type LintRule } from './context.js'

export const packageDirectoryMatch: LintRule = {
  id: 'PACKAGE_DIRECTORY_MATCH',
  kind: 'lint',
  categories: ['MINIMAL', 'BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files are in a directory that matches their package name.',
  check({ files }, report) {
    for (const file of files) {
      const pkg = file.package
      if (pkg === '') continue
      const expected = pkg.replaceAll('.', '/')
      const actual = directoryOf(file.path)
      if (actual !== expected) {
        const { span, scope } = packageLocation(file)
        report(span, `Files with package ${quote(pkg)} must be within a directory "${expected}" relative to root but were in directory "${actual}".`, scope)
      }
    }
  }
}
