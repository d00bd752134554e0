import { type BreakingRule, emit } from './context.js'
import { goQuote, joinQuoted } from './format.js'

export const enumValueSameName: BreakingRule = {
  id: 'ENUM_VALUE_SAME_NAME',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE', 'WIRE_JSON'],
  default: true,
  purpose: 'Checks that enum values have the same name.',
  check(context, report) {
    for (const [headValues, baseValues] of context.pairs.enumValuesByNumber()) {
      // Names may be added to a number (aliases), but every base name must remain.
      if ([...baseValues.keys()].every((name) => headValues.has(name))) continue
      const before = [...baseValues.keys()].sort()
      const after = [...headValues.keys()].sort()
      const plural = before.length > 1 && after.length > 1 ? 's' : ''
      for (const value of headValues.values()) {
        emit(
          context,
          report,
          { file: value.enum.file, loc: value.locs.number, against: baseValues.get(value.name)?.enum.file },
          `Enum value ${goQuote(String(value.number))} on enum ${goQuote(value.enum.name)} changed name${plural} from ${joinQuoted(before)} to ${joinQuoted(after)}.`
        )
      }
    }
  }
}
