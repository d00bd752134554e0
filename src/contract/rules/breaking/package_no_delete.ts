import { type BreakingRule, emit } from './context.js'
import { goQuote } from './format.js'
import type { ProtoFile } from './model.js'

export const packageNoDelete: BreakingRule = {
  id: 'PACKAGE_NO_DELETE',
  kind: 'breaking',
  categories: ['PACKAGE'],
  default: false,
  purpose: 'Checks that packages are not deleted.',
  check(context, report) {
    const headPackages = new Set(context.head.map((file) => file.package))
    const basePackages = new Map<string, ProtoFile[]>()
    for (const file of context.base) basePackages.set(file.package, [...(basePackages.get(file.package) ?? []), file])
    for (const [pkg, files] of basePackages) {
      if (headPackages.has(pkg)) continue
      // buf ties the finding to the package's first base file by path, for ignores only.
      const first = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0]
      emit(context, report, { against: first }, `Previously present package ${goQuote(pkg)} was deleted.`)
    }
  }
}
