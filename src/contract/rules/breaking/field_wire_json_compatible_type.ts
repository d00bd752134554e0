import type { BreakingRule } from './context.js'
import { checkEnumSwap, reportChangedKind, reportChangedTypeName, WIRE_JSON_TYPE_GROUP } from './fields.js'

export const fieldWireJsonCompatibleType: BreakingRule = {
  id: 'FIELD_WIRE_JSON_COMPATIBLE_TYPE',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON'],
  default: false,
  purpose: 'Checks that fields have wire and JSON compatible types in a given message.',
  check(context, report) {
    for (const [head, base] of context.pairs.fields()) {
      if (WIRE_JSON_TYPE_GROUP[head.kind] !== WIRE_JSON_TYPE_GROUP[base.kind]) {
        reportChangedKind(context, report, head, base, WIRE_JSON_RULES)
      } else if (head.kind === 'enum' && head.typeName !== base.typeName) {
        checkEnumSwap(context, report, head, base)
      } else if ((head.kind === 'group' || head.kind === 'message') && head.typeName !== base.typeName) {
        reportChangedTypeName(context, report, head, base)
      }
    }
  }
}

const WIRE_JSON_RULES =
  'See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules.'
