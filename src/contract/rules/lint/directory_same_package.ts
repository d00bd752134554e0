import { directoryOf, groupBy, packageLocation, quote, type LintRule } from './context.js'

export const directorySamePackage: LintRule = {
  id: 'DIRECTORY_SAME_PACKAGE',
  kind: 'lint',
  categories: ['MINIMAL', 'BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files in a given directory are in the same package.',
  check({ files }, report) {
    for (const [dir, dirFiles] of groupBy(files, (f) => directoryOf(f.path))) {
      const packages = new Set(dirFiles.map((f) => f.package))
      if (packages.size < 2) continue
      const named = [...packages].filter((p) => p !== '').sort()
      let prefix: string
      if (packages.has('')) {
        prefix = named.length > 1 ? `Multiple packages ${quote(named.join(','))} and file with no package` : `Package ${quote(named.join(','))} and file with no package`
      } else {
        prefix = `Multiple packages ${quote(named.join(','))}`
      }
      for (const file of dirFiles) {
        const { span, scope } = packageLocation(file)
        report(span, `${prefix} detected within directory ${quote(dir)}.`, scope)
      }
    }
  }
}
