import { packageLocation, quote, type LintRule } from './context.js'
import { packageVersion } from './package-version.js'

export const packageVersionSuffix: LintRule = {
  id: 'PACKAGE_VERSION_SUFFIX',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose:
    'Checks that the last component of all packages is a version of the form v\\d+, v\\d+test.*, v\\d+(alpha|beta)\\d+, or v\\d+p\\d+(alpha|beta)\\d+, where numbers are >=1.',
  check({ files }, report) {
    for (const file of files) {
      const pkg = file.package
      if (pkg === '' || packageVersion(pkg)) continue
      const { span, scope } = packageLocation(file)
      report(span, `Package name ${quote(pkg)} should be suffixed with a correctly formed version, such as ${quote(pkg + '.v1')}.`, scope)
    }
  }
}
