/**
 * Field comparisons shared by the FIELD_* rules: cardinality, kind compatibility groups (from
 * the protobuf language guide's "updating a message" rules, as buf encodes them) and the two
 * "changed type" findings.
 */

import type { Report } from '../types.js'
import { emit, type BreakingContext } from './context.js'
import { fieldDescription, goQuote } from './format.js'
import type { FieldType, ProtoField } from './model.js'

export type Cardinality = 'optional with explicit presence' | 'optional with implicit presence' | 'required' | 'repeated' | 'map'

export function cardinality(field: ProtoField): Cardinality {
  if (field.isList) return 'repeated'
  if (field.isMap) return 'map'
  if (field.isRequired) return 'required'
  return field.hasPresence ? 'optional with explicit presence' : 'optional with implicit presence'
}

export const WIRE_CARDINALITY_GROUP: Record<Cardinality, number> = {
  'optional with explicit presence': 1,
  'optional with implicit presence': 1,
  required: 2,
  repeated: 3,
  map: 3
}

/** Maps and repeated fields differ in JSON. */
export const WIRE_JSON_CARDINALITY_GROUP: Record<Cardinality, number> = { ...WIRE_CARDINALITY_GROUP, map: 4 }

/** Map entry fields are synthesized, so buf does not compare their cardinality. */
export function inMapEntry(field: ProtoField): boolean {
  return field.extendee === undefined && field.message?.mapEntry === true
}

export function checkCardinality(context: BreakingContext, report: Report, groups: Record<Cardinality, number> | undefined): void {
  for (const [head, base] of context.pairs.fields()) {
    if (inMapEntry(head) && inMapEntry(base)) continue
    const before = cardinality(base)
    const after = cardinality(head)
    const changed = groups ? groups[before] !== groups[after] : before !== after
    if (!changed) continue
    emit(
      context,
      report,
      { file: head.file, loc: head.locs.self, against: base.file },
      `${fieldDescription(head)} changed cardinality from ${goQuote(before)} to ${goQuote(after)}.`
    )
  }
}

export const WIRE_TYPE_GROUP: Record<FieldType, number> = {
  int32: 1, int64: 1, uint32: 1, uint64: 1, bool: 1,
  sint32: 2, sint64: 2,
  string: 3,
  bytes: 4,
  fixed32: 5, sfixed32: 5,
  fixed64: 6, sfixed64: 6,
  double: 7,
  float: 8,
  group: 9,
  message: 10,
  enum: 11
}

export const WIRE_JSON_TYPE_GROUP: Record<FieldType, number> = {
  int32: 1, uint32: 1,
  int64: 2, uint64: 2,
  fixed32: 3, sfixed32: 3,
  fixed64: 4, sfixed64: 4,
  bool: 5,
  sint32: 6,
  sint64: 7,
  string: 8,
  bytes: 9,
  double: 10,
  float: 11,
  group: 12,
  message: 13,
  enum: 14
}

export function is64BitInteger(type: FieldType): boolean {
  return type === 'int64' || type === 'sint64' || type === 'uint64' || type === 'fixed64' || type === 'sfixed64'
}

function isNamedKind(kind: FieldType): boolean {
  return kind === 'message' || kind === 'enum' || kind === 'group'
}

/** How buf names a kind: editions' delimited messages are not called groups. */
function prettyKind(field: ProtoField): string {
  return field.kind === 'group' && field.file.syntax !== 'proto2' ? 'message (delimited encoding)' : field.kind
}

export function reportChangedKind(context: BreakingContext, report: Report, head: ProtoField, base: ProtoField, extra = ''): void {
  emit(
    context,
    report,
    { file: head.file, loc: isNamedKind(head.kind) ? head.locs.typeName : head.locs.type, against: base.file },
    `${fieldDescription(head)} changed type from ${goQuote(prettyKind(base))} to ${goQuote(prettyKind(head))}.${extra ? ' ' + extra : ''}`
  )
}

export function reportChangedTypeName(context: BreakingContext, report: Report, head: ProtoField, base: ProtoField): void {
  emit(
    context,
    report,
    { file: head.file, loc: head.locs.typeName, against: base.file },
    `${fieldDescription(head)} changed type from ${goQuote(trimDot(base.typeName))} to ${goQuote(trimDot(head.typeName))}.`
  )
}

function trimDot(name: string | undefined): string {
  return name === undefined ? '' : name.startsWith('.') ? name.slice(1) : name
}

/**
 * An enum field may switch to another enum with the same short name when every base value
 * still exists with the same number (values may be added in the same change).
 */
export function checkEnumSwap(context: BreakingContext, report: Report, head: ProtoField, base: ProtoField): void {
  const headEnum = head.enumType
  const baseEnum = base.enumType
  if (!headEnum || !baseEnum) throw new Error(`enum type of field ${head.fullName} was not resolved`)
  const compatible =
    headEnum.name === baseEnum.name &&
    baseEnum.values.every((value) => headEnum.values.some((candidate) => candidate.name === value.name && candidate.number === value.number))
  if (!compatible) reportChangedTypeName(context, report, head, base)
}
