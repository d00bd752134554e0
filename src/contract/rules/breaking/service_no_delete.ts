import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const serviceNoDelete: BreakingRule = {
  id: 'SERVICE_NO_DELETE',
  kind: 'breaking',
  categories: ['FILE'],
  default: true,
  purpose: 'Checks that services are not deleted from a given file.',
  check(context, report) {
    for (const [head, base] of context.pairs.files()) {
      const headNames = new Set(head.services.map((service) => service.name))
      for (const service of base.services) {
        if (headNames.has(service.name)) continue
        // buf has no head location for a deleted service: the finding points at the file.
        emit(context, report, { file: head, against: base }, `Previously present service ${goQuote(service.name)} was deleted from file.`)
      }
    }
  }
}
