import type { BreakingRule } from './context.js'
import { checkCardinality, WIRE_CARDINALITY_GROUP } from './fields.js'

export const fieldWireCompatibleCardinality: BreakingRule = {
  id: 'FIELD_WIRE_COMPATIBLE_CARDINALITY',
  kind: 'breaking',
  categories: ['WIRE'],
  default: false,
  purpose: 'Checks that fields have wire-compatible cardinalities in a given message.',
  check(context, report) {
    checkCardinality(context, report, WIRE_CARDINALITY_GROUP)
  }
}
