/**
 * Text helpers that reproduce buf's message wording byte for byte: Go's `%q` quoting, Go's `%v`
 * rendering of floats, and buf's field description phrase.
 */

import type { ProtoField } from './model.js'

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

/** Go strconv.Quote: printable runes stay, the rest become escapes. */
export function goQuote(text: string): string {
  let out = '"'
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : PRINTABLE.test(ch)) out += ch
    else if (cp === 7) out += '\\a'
    else if (cp === 8) out += '\\b'
    else if (cp === 12) out += '\\f'
    else if (cp === 10) out += '\\n'
    else if (cp === 13) out += '\\r'
    else if (cp === 9) out += '\\t'
    else if (cp === 11) out += '\\v'
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0')
    else out += '\\U' + cp.toString(16).padStart(8, '0')
  }
  return out + '"'
}

/** `"a", "b"` (buf's xstrings.JoinSliceQuoted). */
export function joinQuoted(values: readonly string[]): string {
  return values.map(goQuote).join(', ')
}

/**
 * Go's `%v` for a float (strconv 'g' with shortest precision): the fewest digits that read back
 * at the given width, in exponent form when the decimal exponent is below -4 or at least 6.
 */
export function goFloat(value: number, bits: 32 | 64): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'
  const digits = shortestDigits(value, bits)
  const negative = value < 0
  // digits.mantissa has no dot; value = 0.mantissa × 10^pointPos
  const { mantissa, pointPos } = digits
  const exponent = pointPos - 1
  let body: string
  if (exponent < -4 || exponent >= 6) {
    const frac = mantissa.slice(1)
    const exp = Math.abs(exponent)
    body = mantissa[0]! + (frac ? '.' + frac : '') + 'e' + (exponent < 0 ? '-' : '+') + (exp < 10 ? '0' + exp : String(exp))
  } else if (pointPos <= 0) {
    body = '0.' + '0'.repeat(-pointPos) + mantissa
  } else if (pointPos >= mantissa.length) {
    body = mantissa + '0'.repeat(pointPos - mantissa.length)
  } else {
    body = mantissa.slice(0, pointPos) + '.' + mantissa.slice(pointPos)
  }
  return negative ? '-' + body : body
}

function shortestDigits(value: number, bits: 32 | 64): { mantissa: string; pointPos: number } {
  const abs = Math.abs(value)
  let text: string
  if (bits === 64) {
    text = abs.toExponential()
  } else {
    // The fewest significant digits that read back as the same float32.
    const target = Math.fround(abs)
    text = target.toExponential(8)
    for (let precision = 0; precision <= 8; precision++) {
      const candidate = target.toExponential(precision)
      if (Math.fround(Number(candidate)) === target) {
        text = candidate
        break
      }
    }
  }
  const [coefficient, exp] = text.split('e') as [string, string]
  const mantissa = coefficient.replace('.', '').replace(/0+$/, '') || '0'
  return { mantissa, pointPos: Number(exp) + 1 }
}

/** buf's `Field "1" with name "x" on message "M"` / `Extension "10" with name "a.b" on message "a.M"`. */
export function fieldDescription(field: ProtoField): string {
  return fieldDescriptionWithName(field, field.extendee !== undefined ? field.fullName : field.name)
}

export function fieldDescriptionWithName(field: ProtoField, name: string): string {
  const withName = name !== '' ? ` with name ${goQuote(name)}` : ''
  if (field.extendee !== undefined) {
    return `Extension ${goQuote(String(field.number))}${withName} on message ${goQuote(field.extendee)}`
  }
  return `Field ${goQuote(String(field.number))}${withName} on message ${goQuote(field.message?.name ?? '')}`
}
