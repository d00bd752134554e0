import type { BreakingRule } from './context.js'
import { checkEnumSwap, reportChangedKind, reportChangedTypeName, WIRE_TYPE_GROUP } from './fields.js'

export const fieldWireCompatibleType: BreakingRule = {
  id: 'FIELD_WIRE_COMPATIBLE_TYPE',
  kind: 'breaking',
  categories: ['WIRE'],
  default: false,
  purpose: 'Checks that fields have wire-compatible types in a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (WIRE_TYPE_GROUP[head.kind] !== WIRE_TYPE_GROUP[base.kind]) {
        // string → bytes is allowed; bytes → string only works if every value is UTF-8.
        if (base.kind === 'string' && head.kind === 'bytes') continue
        const notes = [WIRE_RULES]
        if (base.kind === 'bytes' && head.kind === 'string') notes.push(BYTES_TO_STRING)
        reportChangedKind(context, report, head, base, notes.join(' '))
      } else if (head.type === 'enum' && head.typeName !== base.typeName) {
        checkEnumSwap(context, report, head, base)
      } else if ((head.type === 'group' || head.type === 'message') && head.typeName !== base.typeName) {
        reportChangedTypeName(context, report, head, base)
      }
    }
  }
}

const WIRE_RULES = 'See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.'
const BYTES_TO_STRING =
  'Note that while string and bytes are compatible if the data is valid UTF-8, there is no way to enforce that a bytes field is UTF-8, so these fields may be incompatible.'
