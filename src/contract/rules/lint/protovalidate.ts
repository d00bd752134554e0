import type { OptionDecl } from '../../proto/ast.js'
import { RuleNotImplementedError } from '../types.js'
import { optionHoldersOf, spanIn, type LintRule } from './context.js'

const PROTOVALIDATE_PACKAGE = 'buf.validate.'

/**
 * buf's rule validates protovalidate (`buf.validate.*`) options and compiles their CEL
 * expressions. Without a CEL compiler release-gate cannot judge them, so a module that uses such
 * options gets "not run" instead of a silent pass. A module without them has nothing this rule
 * looks at, so no findings is the exact answer there.
 */
export const protovalidate: LintRule = {
  id: 'PROTOVALIDATE',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that protovalidate rules are valid and all CEL expressions compile.',
  check({ files }) {
    for (const file of files) {
      for (const holder of optionHoldersOf(file)) {
        const used = holder.options.find(isProtovalidateOption)
        if (used) {
          throw new RuleNotImplementedError(
            'PROTOVALIDATE',
            `the module uses protovalidate option ${used.nameText}; validating protovalidate rules and compiling their CEL expressions is not implemented`,
            spanIn(file, used.span)
          )
        }
      }
    }
  }
}

function isProtovalidateOption(option: OptionDecl): boolean {
  const extension = option.fieldPath[0]
  if (extension) return extension.fullName.startsWith(PROTOVALIDATE_PACKAGE)
  const first = option.nameParts[0]
  return first !== undefined && first.extension && first.name.replace(/^\./, '').startsWith(PROTOVALIDATE_PACKAGE)
}
