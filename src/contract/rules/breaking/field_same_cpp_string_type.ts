import { type BreakingRule, emit, firstLoc } from './context.js'
import { inMapEntry } from './fields.js'
import { fieldDescription, goQuote } from './format.js'
import type { ProtoField } from './model.js'

export const fieldSameCppStringType: BreakingRule = {
  id: 'FIELD_SAME_CPP_STRING_TYPE',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      // Map entries cannot set a string type.
      if (inMapEntry(head) && inMapEntry(base)) continue
      if (!isStringOrBytes(head) || !isStringOrBytes(base)) continue
      const before = cppStringType(base)
      const after = cppStringType(head)
      // Moving from STRING_PIECE to STRING is allowed.
      if ((before.type === after.type && before.piece === after.piece) || (before.piece && after.type === 'STRING' && !after.piece)) continue
      emit(
        context,
        report,
        { file: head.file, loc: firstLoc(head.locs.ctype, head.locs.cppStringType, head.locs.self), against: base.file },
        `${fieldDescription(head)} changed C++ string type from ${goQuote(before.piece ? 'STRING_PIECE' : before.type)} to ${goQuote(after.piece ? 'STRING_PIECE' : after.type)}.`
      )
    }
  }
}

function isStringOrBytes(field: ProtoField): boolean {
  return field.kind === 'string' || field.kind === 'bytes'
}

/** The ctype option decides before edition 2024; otherwise the (pb.cpp).string_type feature. */
function cppStringType(field: ProtoField): { type: string; piece: boolean } {
  const usesCtype = field.file.syntax !== 'editions' || field.file.edition === '2023'
  if (usesCtype && field.ctype !== undefined) {
    if (field.ctype === 'CORD') return { type: 'CORD', piece: false }
    return { type: 'STRING', piece: field.ctype === 'STRING_PIECE' }
  }
  return { type: field.cppStringType, piece: false }
}
