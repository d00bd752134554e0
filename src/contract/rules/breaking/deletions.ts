/**
 * The deletion checks several rules share: elements gone from a file, fields and enum values
 * gone from their parent (optionally forgiven by a reservation), and elements gone from a
 * package.
 */

import type { Report } from '../types.js'
import { emit, type BreakingContext } from './context.js'
import { fieldDescription, goQuote, joinQuoted } from './format.js'
import type { Loc, ProtoFile, TagRange } from './model.js'
import { deletedElementParent, valuesByNumber } from './pairing.js'

/** ENUM_NO_DELETE, EXTENSION_NO_DELETE, MESSAGE_NO_DELETE: by nested name within each file pair. */
export function checkNoDeleteFromFile(
  context: BreakingContext,
  report: Report,
  noun: 'enum' | 'extension' | 'message',
  elementsOf: (file: ProtoFile) => readonly { nestedName: string }[]
): void {
  for (const [head, base] of context.pairs.files()) {
    const headNames = new Set<string>()
    for (const element of elementsOf(head)) headNames.add(element.nestedName)
    for (const element of elementsOf(base)) {
      if (headNames.has(element.nestedName)) continue
      const parent = deletedElementParent(context.pairs, head, element.nestedName)
      emit(
        context,
        report,
        { file: head, loc: parent?.locs.self, against: base },
        `Previously present ${noun} ${goQuote(element.nestedName)} was deleted from file.`
      )
    }
  }
}

export type ReservationMode = 'always' | 'unless-number-reserved' | 'unless-name-reserved'

function inRanges(number: number, ranges: readonly TagRange[]): boolean {
  return ranges.some((range) => number >= range.start && number <= range.end)
}

/** FIELD_NO_DELETE and its _UNLESS_NUMBER_RESERVED / _UNLESS_NAME_RESERVED variants. */
export function checkFieldNoDelete(context: BreakingContext, report: Report, mode: ReservationMode): void {
  for (const [head, base] of context.pairs.messages()) {
    const headNumbers = context.pairs.fieldsByNumber(head)
    for (const field of base.fields) {
      if (headNumbers.has(field.number)) continue
      if (mode === 'unless-number-reserved' && inRanges(field.number, head.reservedRanges)) continue
      if (mode === 'unless-name-reserved' && head.reservedNames.includes(field.name)) continue
      const suffix =
        mode === 'unless-number-reserved'
          ? ` without reserving the number ${goQuote(String(field.number))}`
          : mode === 'unless-name-reserved'
            ? ` without reserving the name ${goQuote(field.name)}`
            : ''
      const description = fieldDescription(field)
      emit(
        context,
        report,
        { file: head.file, loc: head.locs.self, against: base.file },
        `Previously present ${description[0]!.toLowerCase()}${description.slice(1)} was deleted${suffix}.`
      )
    }
  }
}

/** ENUM_VALUE_NO_DELETE and its _UNLESS_NUMBER_RESERVED / _UNLESS_NAME_RESERVED variants. */
export function checkEnumValueNoDelete(context: BreakingContext, report: Report, mode: ReservationMode): void {
  for (const [head, base] of context.pairs.enums()) {
    const headNumbers = new Set(head.values.map((value) => value.number))
    for (const [number, baseValues] of valuesByNumber(base)) {
      if (headNumbers.has(number)) continue
      const names = [...baseValues.keys()].sort()
      if (mode === 'unless-number-reserved' && inRanges(number, head.reservedRanges)) continue
      if (mode === 'unless-name-reserved' && names.every((name) => head.reservedNames.includes(name))) continue
      const suffix =
        mode === 'unless-number-reserved'
          ? ` without reserving the number ${goQuote(String(number))}`
          : mode === 'unless-name-reserved'
            ? ` without reserving the name${names.length > 1 ? 's' : ''} ${joinQuoted(names)}`
            : ''
      emit(
        context,
        report,
        { file: head.file, loc: head.locs.self, against: base.file },
        `Previously present enum value ${goQuote(String(number))} on enum ${goQuote(head.name)} was deleted${suffix}.`
      )
    }
  }
}

type PackageElement = { nestedName: string; file: ProtoFile; locs: { self?: Loc } }

/**
 * PACKAGE_{ENUM,EXTENSION,MESSAGE}_NO_DELETE. Like buf, a package is only examined when the
 * head still has at least one element of that kind in it; the finding sits in the base
 * element's file when that file still exists (at the closest surviving parent message).
 */
export function checkNoDeleteFromPackage(
  context: BreakingContext,
  report: Report,
  noun: 'enum' | 'extension' | 'message',
  elementsOf: (file: ProtoFile) => readonly PackageElement[]
): void {
  const headByPackage = byPackage(context.head, elementsOf)
  for (const [pkg, baseElements] of byPackage(context.base, elementsOf)) {
    const headElements = headByPackage.get(pkg)
    if (!headElements) continue
    for (const [nestedName, element] of baseElements) {
      if (headElements.has(nestedName)) continue
      const headFile = context.pairs.headFile(element.file.path)
      let file: ProtoFile | undefined
      let loc: Loc | undefined
      if (headFile) {
        const parent = noun === 'message' ? packageParentMessage(headElements, nestedName) : deletedElementParent(context.pairs, headFile, nestedName)
        file = parent ? parent.file : headFile
        loc = parent?.locs.self
      }
      emit(
        context,
        report,
        { file, loc, against: element.file },
        `Previously present ${noun} ${goQuote(nestedName)} was deleted from package ${goQuote(pkg)}.`
      )
    }
  }
}

function byPackage<T extends PackageElement>(files: readonly ProtoFile[], elementsOf: (file: ProtoFile) => readonly T[]): Map<string, Map<string, T>> {
  const result = new Map<string, Map<string, T>>()
  for (const file of files) {
    for (const element of elementsOf(file)) {
      let elements = result.get(file.package)
      if (!elements) result.set(file.package, (elements = new Map()))
      elements.set(element.nestedName, element)
    }
  }
  return result
}

/** buf looks the parent of a deleted message up in the package's head messages, across files. */
function packageParentMessage<T extends PackageElement>(headMessages: Map<string, T>, nestedName: string): T | undefined {
  const parts = nestedName.split('.')
  for (let i = parts.length - 1; i > 0; i--) {
    const message = headMessages.get(parts.slice(0, i).join('.'))
    if (message) return message
  }
  return undefined
}
