/**
 * Name conversions with exactly the behaviour buf's lint rules use (its xstrings package), so a
 * name passes or fails here exactly when it does under buf, and the suggested spelling matches.
 * Character classes are Unicode's (Go's unicode.IsUpper/IsLower/IsDigit); the checks take a
 * shortcut for ASCII, which is every protobuf identifier.
 */

const UPPER = /^\p{Lu}$/u
const LOWER = /^\p{Ll}$/u
const DIGIT = /^\p{Nd}$/u

function isUpper(c: string): boolean {
  const code = c.charCodeAt(0)
  return code < 0x80 ? code >= 65 && code <= 90 : UPPER.test(c)
}

function isLower(c: string): boolean {
  const code = c.charCodeAt(0)
  return code < 0x80 ? code >= 97 && code <= 122 : LOWER.test(c)
}

function isDigit(c: string): boolean {
  const code = c.charCodeAt(0)
  return code < 0x80 ? code >= 48 && code <= 57 : DIGIT.test(c)
}

function isDelimiter(c: string): boolean {
  return c === '.' || c === '-' || c === '_' || c === ' ' || c === '\t' || c === '\n' || c === '\r'
}

/**
 * PascalCase: delimiters are dropped, the first character and every character after a delimiter
 * are upper-cased, upper-case letters stay, everything else is lower-cased.
 */
export function toPascalCase(s: string): string {
  let out = ''
  let previous = ''
  let first = true
  for (const c of s.trim()) {
    if (!isDelimiter(c)) out += first || isDelimiter(previous) || isUpper(c) ? c.toUpperCase() : c.toLowerCase()
    previous = c
    first = false
  }
  return out
}

/**
 * Splits into words at delimiters and at an upper-case letter that starts a word (after a lower-case
 * letter, or before a lower-case letter); digits never start a word. Runs of delimiters become one
 * underscore; leading and trailing delimiters are dropped.
 */
function toSnakeCase(input: string): string {
  const chars = Array.from(input)
  let start = 0
  let end = chars.length
  while (start < end && isDelimiter(chars[start]!)) start++
  while (end > start && isDelimiter(chars[end - 1]!)) end--
  let out = ''
  let lastIsUnderscore = false
  for (let i = start; i < end; i++) {
    let c = chars[i]!
    if (isDelimiter(c)) c = '_'
    if (i === start) {
      out += c
    } else if (
      isUpper(c) &&
      !lastIsUnderscore &&
      ((i + 1 < end && !isUpper(chars[i + 1]!) && !isDigit(chars[i + 1]!) && !isDelimiter(chars[i + 1]!)) || isLower(chars[i - 1]!))
    ) {
      out += '_' + c
    } else if (!(c === '_' && lastIsUnderscore)) {
      out += c
    } else {
      continue
    }
    lastIsUnderscore = c === '_'
  }
  return out
}

export function toLowerSnakeCase(s: string): string {
  return toSnakeCase(s).toLowerCase()
}

export function toUpperSnakeCase(s: string): string {
  return toSnakeCase(s).toUpperCase()
}
