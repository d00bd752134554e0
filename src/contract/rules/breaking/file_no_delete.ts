import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const fileNoDelete: BreakingRule = {
  id: 'FILE_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE'],
  default: true,
  purpose: 'Checks that files are not deleted.',
  check(context, report) {
    for (const base of context.base) {
      if (context.pairs.headFile(base.path)) continue
      emit(context, report, { against: base }, `Previously present file ${goQuote(base.path)} was deleted.`)
    }
  }
}
