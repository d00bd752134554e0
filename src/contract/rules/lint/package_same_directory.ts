import { directoryOf, groupBy, packageLocation, quote, type LintRule } from './context.js'

export const packageSameDirectory: LintRule = {
  id: 'PACKAGE_SAME_DIRECTORY',
  kind: 'lint',
  categories: ['MINIMAL', 'BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files with a given package are in the same directory.',
  check({ files }, report) {
    for (const [pkg, pkgFiles] of groupBy(files, (f) => f.package)) {
      const dirs = [...new Set(pkgFiles.map((f) => directoryOf(f.path)))].sort()
      if (dirs.length < 2) continue
      for (const file of pkgFiles) {
        const { span, scope } = packageLocation(file)
        report(span, `Multiple directories ${quote(dirs.join(','))} contain files with package ${quote(pkg)}.`, scope)
      }
    }
  }
}
