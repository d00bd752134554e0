import type { BreakingRule } from './context.js'
import { checkCardinality } from './fields.js'

export const fieldSameCardinality: BreakingRule = {
  id: 'FIELD_SAME_CARDINALITY',
  kind: 'breaking',
  categories: ['FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that fields have the same cardinalities in a given message.',
  check(context, report) {
    checkCardinality(context, report, undefined)
  }
}
