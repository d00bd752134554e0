import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'

export const packageServiceNoDelete: BreakingRule = {
  id: 'PACKAGE_SERVICE_NO_DELETE',
  kind: 'breaking',
  categories: ['PACKAGE'],
  default: false,
  purpose: 'Checks that services are not deleted from a given package.',
  check(context, report) {
    // Every head package counts, even one without services (unlike the enum/message variants).
    const headPackages = new Map<string, Set<string>>()
    for (const file of context.head) {
      let names = headPackages.get(file.package)
      if (!names) headPackages.set(file.package, (names = new Set()))
      for (const service of file.services) names.add(service.name)
    }
    const seen = new Set<string>()
    for (const file of context.base) {
      for (const service of file.services) {
        const names = headPackages.get(file.package)
        if (!names || names.has(service.name) || seen.has(service.fullName)) continue
        seen.add(service.fullName)
        emit(
          context,
          report,
          { file: context.pairs.headFile(file.path), against: file },
          `Previously present service ${goQuote(service.name)} was deleted from package ${goQuote(file.package)}.`
        )
      }
    }
  }
}
