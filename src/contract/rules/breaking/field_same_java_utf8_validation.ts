import { type BreakingRule, emit, firstLoc } from './context.js'
import { fieldDescription, goQuote } from './format.js'
import type { ProtoField, Utf8Validation } from './model.js'

export const fieldSameJavaUtf8Validation: BreakingRule = {
  id: 'FIELD_SAME_JAVA_UTF8_VALIDATION',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (head.kind !== 'string' || base.kind !== 'string') continue
      const before = javaUtf8Validation(base)
      const after = javaUtf8Validation(head)
      if (before === after) continue
      emit(
        context,
        report,
        {
          file: head.file,
          loc: firstLoc(head.file.locs.options.java_string_check_utf8, head.locs.javaUtf8Validation, head.locs.self),
          against: base.file
        },
        `${fieldDescription(head)} changed Java string UTF8 validation from ${goQuote(before)} to ${goQuote(after)}.`
      )
    }
  }
}

/** java_string_check_utf8 decides outside editions or when written; else (pb.java).utf8_validation. */
function javaUtf8Validation(field: ProtoField): Utf8Validation {
  const fileOption = field.file.options.java_string_check_utf8
  if (field.file.syntax !== 'editions' || fileOption !== undefined) return fileOption === true ? 'VERIFY' : field.utf8Validation
  return field.javaUtf8Validation === 'VERIFY' ? 'VERIFY' : field.utf8Validation
}
