/**
 * Field default values the way FIELD_SAME_DEFAULT compares them: strings and bytes compare as
 * text, every other kind (bool, numbers, enums) numerically, float against double at float
 * precision; the printed form is Go's `%v` of the value.
 */

import { goFloat, goQuote } from './format.js'
import type { ProtoField } from './model.js'

export type DefaultValue =
  | { kind: 'text'; text: string; printable: string }
  | { kind: 'integer'; value: bigint; printable: string }
  | { kind: 'float'; value: number; bits: 32 | 64; printable: string }

/** Lists, maps and message fields have no default. */
export function canHaveDefault(field: ProtoField): boolean {
  return !field.isList && !field.isMap && field.kind !== 'message' && field.kind !== 'group'
}

export function fieldDefault(field: ProtoField): DefaultValue {
  const raw = field.defaultValue
  switch (field.kind) {
    case 'string': {
      const text = raw ?? ''
      return { kind: 'text', text, printable: goQuote(text) }
    }
    case 'bytes': {
      const bytes = unescapeBytes(raw ?? '')
      return {
        kind: 'text',
        text: String.fromCharCode(...bytes),
        printable: '[' + bytes.map((b) => '0x' + b.toString(16).toUpperCase()).join(',') + ']'
      }
    }
    case 'enum': {
      const enumType = field.enumType
      if (!enumType) throw new Error(`enum type of field ${field.fullName} was not resolved`)
      const value = raw !== undefined ? enumType.values.find((candidate) => candidate.name === raw) : enumType.values[0]
      const number = value?.number ?? 0
      return { kind: 'integer', value: BigInt(number), printable: `${enumType.name}.${value?.name ?? `${number}(?)`}` }
    }
    case 'bool':
      return { kind: 'integer', value: raw === 'true' ? 1n : 0n, printable: raw === 'true' ? 'true' : 'false' }
    case 'float':
    case 'double': {
      const bits = field.kind === 'float' ? 32 : 64
      const parsed = parseFloatDefault(raw ?? '0')
      const value = bits === 32 ? Math.fround(parsed) : parsed
      return { kind: 'float', value, bits, printable: goFloat(value, bits) }
    }
    default: {
      const value = BigInt(raw ?? '0')
      return { kind: 'integer', value, printable: value.toString() }
    }
  }
}

/** Go's reflect.Value.IsZero on the comparable value (negative zero is not zero). */
export function isZeroDefault(value: DefaultValue): boolean {
  switch (value.kind) {
    case 'text':
      return value.text === ''
    case 'integer':
      return value.value === 0n
    case 'float':
      return value.value === 0 && !Object.is(value.value, -0)
  }
}

export function defaultsEqual(a: DefaultValue, b: DefaultValue): boolean {
  if (a.kind === 'text' || b.kind === 'text') return a.kind === 'text' && b.kind === 'text' && a.text === b.text
  if (a.kind === 'float' && b.kind === 'float') {
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return Number.isNaN(a.value) && Number.isNaN(b.value)
    if (a.bits !== b.bits) return Math.fround(a.value) === Math.fround(b.value)
    return a.value === b.value
  }
  if (a.kind === 'integer' && b.kind === 'integer') return a.value === b.value
  const float = a.kind === 'float' ? a : (b as Extract<DefaultValue, { kind: 'float' }>)
  const integer = a.kind === 'integer' ? a : (b as Extract<DefaultValue, { kind: 'integer' }>)
  if (!Number.isFinite(float.value) || !Number.isInteger(float.value)) return false
  return BigInt(float.value) === integer.value
}

function parseFloatDefault(text: string): number {
  const lower = text.toLowerCase()
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity
  if (lower === '-inf' || lower === '-infinity') return -Infinity
  if (lower === 'nan' || lower === '-nan') return NaN
  return Number(text)
}

/** descriptor.proto stores bytes defaults C-escaped. */
export function unescapeBytes(text: string): number[] {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch !== 0x5c || i + 1 >= text.length) {
      out.push(ch & 0xff)
      continue
    }
    const next = text[++i]!
    if (next >= '0' && next <= '7') {
      let digits = next
      while (digits.length < 3 && i + 1 < text.length && text[i + 1]! >= '0' && text[i + 1]! <= '7') digits += text[++i]
      out.push(parseInt(digits, 8) & 0xff)
    } else if (next === 'x' || next === 'X') {
      let digits = ''
      while (digits.length < 2 && i + 1 < text.length && /[0-9a-fA-F]/.test(text[i + 1]!)) digits += text[++i]
      out.push(parseInt(digits || '0', 16))
    } else {
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 }
      out.push(simple[next] ?? next.charCodeAt(0))
    }
  }
  return out
}
