/**
 * Reserved and extension ranges: every number a base range covered must still be covered by
 * the head's ranges (merged), or buf lists the numbers that went missing.
 */

import type { Report } from '../types.js'
import { emit, type BreakingContext } from './context.js'
import { goQuote } from './format.js'
import type { Loc, ProtoFile, TagRange } from './model.js'

/** Highest field number (2^29 - 1), for message-set messages 2^31 - 2, for enums 2^31 - 1. */
export const MESSAGE_MAX = 536870911
export const MESSAGE_SET_MAX = 2147483646
export const ENUM_MAX = 2147483647

interface RangeOwner {
  name: string
  file: ProtoFile
  locs: { self?: Loc }
}

export function checkRangesKept(
  context: BreakingContext,
  report: Report,
  what: 'reserved' | 'extension',
  ownerKind: 'message' | 'enum',
  head: RangeOwner,
  base: RangeOwner,
  baseRanges: readonly TagRange[],
  headRanges: readonly TagRange[],
  baseMax: number,
  headMax: number
): void {
  if (baseRanges.length === 0) return
  const merged = mergeRanges(headRanges)
  for (const range of baseRanges) {
    const missing = missingParts(range, merged)
    if (missing.length === 0) continue
    emit(
      context,
      report,
      { file: head.file, loc: head.locs.self, against: base.file },
      `Previously present ${what} range ${goQuote(rangeText(range, range.end === baseMax))} on ${ownerKind} ${goQuote(head.name)} is missing values: ${missing
        .map((part) => rangeText(part, part.end === headMax))
        .join(', ')} were removed.`
    )
  }
}

function rangeText(range: TagRange, toMax: boolean): string {
  if (range.start === range.end) return `[${range.start}]`
  return toMax ? `[${range.start},max]` : `[${range.start},${range.end}]`
}

/** Sorted, with overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly TagRange[]): TagRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: TagRange[] = []
  for (const range of sorted) {
    const last = merged[merged.length - 1]
    if (last && range.start <= last.end + 1) {
      if (range.end > last.end) last.end = range.end
    } else {
      merged.push({ start: range.start, end: range.end })
    }
  }
  return merged
}

/** The parts of `range` that no merged range covers. */
export function missingParts(range: TagRange, merged: readonly TagRange[]): TagRange[] {
  const missing: TagRange[] = []
  let next = range.start
  for (const covered of merged) {
    if (covered.end < next) continue
    if (covered.start > range.end) break
    if (covered.start > next) missing.push({ start: next, end: covered.start - 1 })
    next = covered.end + 1
    if (next > range.end) return missing
  }
  if (next <= range.end) missing.push({ start: next, end: range.end })
  return missing
}

export function messageMax(message: { messageSetWireFormat: boolean }): number {
  return message.messageSetWireFormat ? MESSAGE_SET_MAX : MESSAGE_MAX
}

export function checkReservedNamesKept(
  context: BreakingContext,
  report: Report,
  ownerKind: 'message' | 'enum',
  head: RangeOwner & { reservedNames: readonly string[] },
  base: RangeOwner & { reservedNames: readonly string[] }
): void {
  const headNames = new Set(head.reservedNames)
  for (const name of new Set(base.reservedNames)) {
    if (headNames.has(name)) continue
    emit(
      context,
      report,
      { file: head.file, loc: head.locs.self, against: base.file },
      `Previously present reserved name ${goQuote(name)} on ${ownerKind} ${goQuote(head.name)} was deleted.`
    )
  }
}
