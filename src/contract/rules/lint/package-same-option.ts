import type { ProtoFile } from '../../proto/ast.js'
import { groupBy, quote, spanIn, wholeFile, type LintContext } from './context.js'
import type { Report } from '../types.js'

/** A file option's value as buf compares it: '' when unset; booleans as "true"/"false". */
function optionText(file: ProtoFile, name: string): string {
  const value = file.optionValue(name)
  if (!value) return ''
  if (value.kind === 'string') return value.value
  if (value.kind === 'identifier') return value.name
  return ''
}

/**
 * The shared check of the PACKAGE_SAME_* rules: all files of a package agree on one file option,
 * with "unset" counting as a value of its own.
 */
export function checkPackageSameOption({ files }: LintContext, report: Report, optionName: string): void {
  for (const [pkg, pkgFiles] of groupBy(files, (f) => f.package)) {
    const values = new Set(pkgFiles.map((f) => optionText(f, optionName)))
    if (values.size < 2) continue
    const unset = values.delete('')
    const listed = quote([...values].sort().join(','))
    const message = unset
      ? `Files in package ${quote(pkg)} have both values ${listed} and no value for option ${quote(optionName)} and all values must be equal.`
      : `Files in package ${quote(pkg)} have multiple values ${listed} for option ${quote(optionName)} and all values must be equal.`
    for (const file of pkgFiles) {
      const option = file.option(optionName)
      if (option) report(spanIn(file, option.span), message, [option])
      else report(wholeFile(file), message)
    }
  }
}
