/**
 * Evolution policy rules (category POLICY): how a contract may grow and shrink beyond what buf
 * calls breaking. Elements are paired as buf pairs them: messages and enums by full name,
 * fields and enum values by number.
 */

import { forEachEnum, forEachMessage, type EnumDecl, type MessageDecl, type ProtoFile } from '../proto/index.js'
import { spanIn } from '../rules/lint/context.js'
import { goQuote } from '../rules/breaking/format.js'
import type { ExtraRuleSpec } from '../rest/types.js'
import { formatVersion, type ReleasedContract, type SemVer } from './releases.js'

export interface DeprecationHistory {
  /** Required distance in major versions between deprecation and deletion. */
  majorsBefore: number
  /** The major version the change is released in. */
  targetMajor: number
  /** Why `targetMajor` (e.g. `next major after v2.0.0`). */
  targetReason: string
  /** Every release that is old enough (major ≤ targetMajor − majorsBefore), newest first. */
  eligible: readonly ReleasedContract[]
  /** The newest release of all, for messages. */
  latest?: SemVer
}

export interface PolicyContext {
  head: readonly ProtoFile[]
  base: readonly ProtoFile[]
  /** Needed by POLICY_DEPRECATE_BEFORE_DELETE only; without it that rule reports nothing. */
  history?: DeprecationHistory
}

export type PolicyRule = ExtraRuleSpec<'policy', PolicyContext>

function messagesByName(files: readonly ProtoFile[]): Map<string, MessageDecl> {
  const map = new Map<string, MessageDecl>()
  for (const file of files) forEachMessage(file, (message) => map.set(message.fullName, message))
  return map
}

function enumsByName(files: readonly ProtoFile[]): Map<string, EnumDecl> {
  const map = new Map<string, EnumDecl>()
  for (const file of files) forEachEnum(file, (decl) => map.set(decl.fullName, decl))
  return map
}

/** Messages on both sides, written by the user (map entries and groups have no field policy of their own). */
function messagePairs(context: PolicyContext): [head: MessageDecl, base: MessageDecl][] {
  const base = messagesByName(context.base)
  const pairs: [MessageDecl, MessageDecl][] = []
  for (const head of messagesByName(context.head).values()) {
    const old = base.get(head.fullName)
    if (old && head.synthetic === undefined) pairs.push([head, old])
  }
  return pairs
}

function enumPairs(context: PolicyContext): [head: EnumDecl, base: EnumDecl][] {
  const base = enumsByName(context.base)
  const pairs: [EnumDecl, EnumDecl][] = []
  for (const head of enumsByName(context.head).values()) {
    const old = base.get(head.fullName)
    if (old) pairs.push([head, old])
  }
  return pairs
}

export const policyNewFieldOptional: PolicyRule = {
  id: 'POLICY_NEW_FIELD_OPTIONAL',
  kind: 'policy',
  categories: ['POLICY'],
  default: true,
  purpose: 'Checks that singular scalar fields added to existing proto3 messages are declared optional, so absence can be told from the zero value.',
  check(context, report) {
    for (const [head, base] of messagePairs(context)) {
      if (head.file.syntax !== 'proto3') continue
      const known = new Set(base.fields.map((field) => field.number))
      for (const field of head.fields) {
        if (known.has(field.number)) continue
        // Presence is already there (optional, oneof member, message) or not meaningful (repeated, map).
        if (field.label === 'optional' || field.label === 'repeated' || field.oneof || field.mapEntry || field.type === 'message' || field.type === 'group') continue
        report(
          spanIn(head.file, field.nameSpan),
          `New field ${goQuote(field.name)} (${field.number}) on message ${goQuote(head.name)} is a singular ${field.type ?? field.typeName} without presence: declare it \`optional ${field.typeName} ${field.name} = ${field.number};\` so servers can tell old clients (field absent) from the zero value.`
        )
      }
    }
  }
}

export const policyEnumValuePositive: PolicyRule = {
  id: 'POLICY_ENUM_VALUE_POSITIVE',
  kind: 'policy',
  categories: ['POLICY'],
  default: true,
  purpose: 'Checks that values added to existing enums have numbers greater than 0.',
  check(context, report) {
    for (const [head, base] of enumPairs(context)) {
      const known = new Set(base.values.map((value) => value.number))
      for (const value of head.values) {
        if (known.has(value.number) || value.number > 0) continue
        report(
          spanIn(head.file, value.numberSpan),
          `New value ${goQuote(value.name)} of enum ${goQuote(head.name)} has number ${value.number}: new enum values must be greater than 0 (0 is the default old readers fall back to).`
        )
      }
    }
  }
}

/** Reserved ranges are inclusive on both ends in the AST. */
function reservedNumber(ranges: readonly { start: number; end: number }[], number: number): boolean {
  return ranges.some((range) => number >= range.start && number <= range.end)
}

export const policyReservedReuse: PolicyRule = {
  id: 'POLICY_RESERVED_REUSE',
  kind: 'policy',
  categories: ['POLICY'],
  default: true,
  purpose: 'Checks that numbers and names reserved in the base are not used again in head.',
  check(context, report) {
    for (const [head, base] of messagePairs(context)) {
      const reservedNames = new Set(base.reservedNames.map((reserved) => reserved.name))
      for (const field of head.fields) {
        if (reservedNumber(base.reservedRanges, field.number))
          report(spanIn(head.file, field.numberSpan), `Field ${goQuote(field.name)} on message ${goQuote(head.name)} uses number ${field.number}, which the base reserved; old data with that number would be read as this field.`)
        if (reservedNames.has(field.name))
          report(spanIn(head.file, field.nameSpan), `Field ${goQuote(field.name)} on message ${goQuote(head.name)} uses a name the base reserved; old JSON with that key would be read as this field.`)
      }
    }
    for (const [head, base] of enumPairs(context)) {
      const reservedNames = new Set(base.reservedNames.map((reserved) => reserved.name))
      for (const value of head.values) {
        if (reservedNumber(base.reservedRanges, value.number))
          report(spanIn(head.file, value.numberSpan), `Enum value ${goQuote(value.name)} of enum ${goQuote(head.name)} uses number ${value.number}, which the base reserved.`)
        if (reservedNames.has(value.name)) report(spanIn(head.file, value.nameSpan), `Enum value ${goQuote(value.name)} of enum ${goQuote(head.name)} uses a name the base reserved.`)
      }
    }
  }
}

export const policyDeprecateBeforeDelete: PolicyRule = {
  id: 'POLICY_DEPRECATE_BEFORE_DELETE',
  kind: 'policy',
  categories: ['POLICY'],
  default: true,
  purpose: 'Checks that deleted fields and enum values were marked deprecated in a release at least N major versions earlier.',
  check(context, report) {
    const history = context.history
    if (!history) return
    const released = history.eligible.map((contract) => ({ tag: contract.release.tag, messages: messagesByName(contract.files), enums: enumsByName(contract.files) }))
    const deprecatedIn = (owner: string, number: number, kind: 'field' | 'value'): string | undefined =>
      released.find((contract) =>
        kind === 'field'
          ? contract.messages.get(owner)?.fields.find((field) => field.number === number)?.boolOption('deprecated') === true
          : contract.enums.get(owner)?.values.find((value) => value.number === number)?.boolOption('deprecated') === true
      )?.tag
    const requirement = (what: string): string => {
      const deadline = history.targetMajor - history.majorsBefore
      const where = history.eligible[0]
        ? `it should have been marked \`deprecated = true\` in ${history.eligible[0].release.tag} (or another v${deadline}.x or earlier release)`
        : `no release of major ${Math.max(deadline, 0)} or earlier exists${history.latest ? ` (latest: ${formatVersion(history.latest)})` : ''}, so deprecate it now and delete it in v${Math.max(deadline, history.latest?.major ?? 0) + history.majorsBefore}.0.0 at the earliest`
      return `${what} was deleted in v${history.targetMajor} (${history.targetReason}) without being deprecated ${history.majorsBefore} major version${history.majorsBefore === 1 ? '' : 's'} earlier: ${where}.`
    }
    for (const [head, base] of messagePairs(context)) {
      const present = new Set(head.fields.map((field) => field.number))
      for (const field of base.fields) {
        if (present.has(field.number) || deprecatedIn(base.fullName, field.number, 'field')) continue
        report(spanIn(head.file, head.nameSpan), requirement(`Field ${goQuote(field.name)} (${field.number}) of message ${goQuote(base.fullName)}`))
      }
    }
    for (const [head, base] of enumPairs(context)) {
      const present = new Set(head.values.map((value) => value.number))
      for (const value of base.values) {
        if (present.has(value.number) || deprecatedIn(base.fullName, value.number, 'value')) continue
        report(spanIn(head.file, head.nameSpan), requirement(`Enum value ${goQuote(value.name)} (${value.number}) of enum ${goQuote(base.fullName)}`))
      }
    }
  }
}

export const policyRules: readonly PolicyRule[] = [policyDeprecateBeforeDelete, policyEnumValuePositive, policyNewFieldOptional, policyReservedReuse]
