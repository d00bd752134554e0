import { wholeFile, type LintRule } from './context.js'

export const packageDefined: LintRule = {
  id: 'PACKAGE_DEFINED',
  kind: 'lint',
  categories: ['MINIMAL', 'BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files have a package defined.',
  check({ files }, report) {
    for (const file of files) {
      if (file.package === '') report(wholeFile(file), 'Files must have a package defined.')
    }
  }
}
