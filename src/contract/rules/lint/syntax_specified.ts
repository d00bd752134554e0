import { wholeFile, type LintRule } from './context.js'

export const syntaxSpecified: LintRule = {
  id: 'SYNTAX_SPECIFIED',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that all files have a syntax specified.',
  check({ files }, report) {
    for (const file of files) {
      if (!file.syntaxDecl) {
        report(wholeFile(file), 'Files must have a syntax explicitly specified. If no syntax is specified, the file defaults to "proto2".')
      }
    }
  }
}
