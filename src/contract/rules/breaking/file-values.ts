/** FILE_SAME_*: a file-level value compared between the base and head version of each file. */

import type { Report } from '../types.js'
import { emit, type BreakingContext } from './context.js'
import { goQuote } from './format.js'
import type { FileOptionName, Loc, ProtoFile } from './model.js'

/** `unset` is descriptor.proto's default, which an absent option takes. */
export function checkFileOption(context: BreakingContext, report: Report, option: FileOptionName, unset: string): void {
  for (const [head, base] of context.pairs.files()) {
    const before = base.options[option]
    const after = head.options[option]
    if (before === after) continue
    checkFileValue(
      context,
      report,
      head,
      base,
      `option ${goQuote(option)}`,
      before === undefined ? unset : String(before),
      after === undefined ? unset : String(after),
      head.locs.options[option]
    )
  }
}

export function checkFileValue(
  context: BreakingContext,
  report: Report,
  head: ProtoFile,
  base: ProtoFile,
  what: string,
  before: string,
  after: string,
  loc: Loc | undefined
): void {
  if (before === after) return
  emit(context, report, { file: head, loc, against: base }, `File ${what} changed from ${goQuote(before)} to ${goQuote(after)}.`)
}
