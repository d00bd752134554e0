import type { BreakingRule } from './context.js'
import { checkCardinality, WIRE_JSON_CARDINALITY_GROUP } from './fields.js'

export const fieldWireJsonCompatibleCardinality: BreakingRule = {
  id: 'FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY',
  kind: 'breaking',
  categories: ['CSR', 'WIRE_JSON'],
  default: false,
  purpose: 'Checks that fields have wire and JSON compatible cardinalities in a given message.',
  check(context, report) {
    checkCardinality(context, report, WIRE_JSON_CARDINALITY_GROUP)
  }
}
