/**
 * Safe construction of PromQL from configuration: escaping for string literals and regex
 * matchers, and a template renderer whose placeholders are escaped for the place they land in,
 * so a value (a service name from a PR, a label from the cluster) can never change the
 * structure of the query.
 *
 * String literal rules follow the PromQL lexer: in "…" and '…' a backslash starts an escape and
 * only the literal's own quote character may be escaped; `…` is raw and has no escapes.
 * Regex matchers are RE2, fully anchored by Prometheus.
 */

export type Quote = '"' | "'" | '`'

export class QueryTemplateError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    detail: string
  ) {
    super(`${source}:${line}:${column}: ${detail}`)
    this.name = 'QueryTemplateError'
  }
}

// Lone UTF-16 surrogates cannot be encoded as UTF-8, so Prometheus could never see them.
const LONE_SURROGATE = /[\ud800-\udfff]/u

/**
 * The inside of a PromQL string literal (without the quotes) that evaluates to `value`.
 * Throws for values a raw `…` literal cannot hold.
 */
export function escapeStringContent(value: string, quote: Quote = '"'): string {
  if (LONE_SURROGATE.test(value)) throw new Error('value contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding')
  if (quote === '`') {
    if (value.includes('`')) throw new Error('a backtick cannot appear inside a raw `…` PromQL string; use a "…" literal instead')
    return value
  }
  let out = ''
  for (const ch of value) {
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += `\\${quote}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else {
      const code = ch.codePointAt(0) ?? 0
      // Other control characters: legal raw, but invisible in logs and review.
      out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch
    }
  }
  return out
}

/** A complete double-quoted PromQL string literal for `value`. */
export function quoteString(value: string): string {
  return `"${escapeStringContent(value, '"')}"`
}

/** RE2 pattern that matches exactly `value` (like Go's regexp.QuoteMeta). */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export type MatchOperator = '=' | '!=' | '=~' | '!~'

/**
 * One label matcher, e.g. labelMatcher('job', '=', 'api') → job="api". For =~ and !~ the value
 * is a regex as given; pass escapeRegex(value) to match a literal.
 */
export function labelMatcher(name: string, operator: MatchOperator, value: string): string {
  if (!LABEL_NAME.test(name)) throw new Error(`"${name}" is not a valid PromQL label name (expected [a-zA-Z_][a-zA-Z0-9_]*)`)
  return `${name}${operator}${quoteString(value)}`
}

export type TemplateValue = string | number | readonly string[]

export interface RenderOptions {
  /** Where the template came from, for error positions, e.g. ".release-gate.yml gates.checks[2].query". */
  source?: string
}

/** Values allowed outside string literals: they are single tokens that cannot open a new expression. */
const BARE_NUMBER = /^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/
const BARE_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/
const BARE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
/** Keywords that would change how the surrounding expression parses if they arrived as a "name". */
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'start', 'end'])

const PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/

type Context = { kind: 'code' } | { kind: 'string'; quote: Quote; regex: boolean }

/**
 * Fills `{{ name }}` placeholders. Each value is escaped for where it lands:
 * - inside a string literal: escaped for that literal's quote;
 * - inside a string that follows =~ or !~, or with `{{ name | regex }}` (e.g. label_replace's
 *   regex argument): regex-escaped first, so it matches literally; a list value becomes an
 *   alternation of escaped items (`job=~"{{ jobs }}"`);
 * - outside strings: only a number, a duration or a metric/label name is accepted.
 * Values are inserted in one pass and never rescanned, so a value containing `{{` stays text.
 */
export function renderQuery(template: string, vars: Readonly<Record<string, TemplateValue>>, options: RenderOptions = {}): string {
  const source = options.source ?? 'query template'
  let out = ''
  let context: Context = { kind: 'code' }
  let inComment = false
  let i = 0
  const fail = (at: number, detail: string): never => {
    const before = template.slice(0, at)
    const line = before.split('\n').length
    const column = at - before.lastIndexOf('\n')
    throw new QueryTemplateError(source, line, column, detail)
  }

  while (i < template.length) {
    const ch = template[i] ?? ''
    if (template.startsWith('{{', i)) {
      const match = PLACEHOLDER.exec(template.slice(i))
      if (!match) fail(i, 'expected a placeholder like {{ name }} or {{ name | regex }}')
      const [whole, name = '', filter] = match ?? []
      if (inComment) fail(i, `placeholder {{ ${name} }} inside a # comment; a value with a line break would end the comment`)
      if (filter !== undefined && filter !== 'regex') fail(i, `unknown filter "${filter}"; the only filter is "regex"`)
      if (!Object.hasOwn(vars, name)) {
        const known = Object.keys(vars).sort().join(', ') || 'none'
        fail(i, `unknown variable "${name}"; known: ${known}`)
      }
      const value = vars[name] as TemplateValue
      try {
        out += renderValue(value, context, filter === 'regex')
      } catch (error) {
        fail(i, `{{ ${name} }}: ${(error as Error).message}`)
      }
      i += (whole ?? '').length
      continue
    }

    out += ch
    i++
    if (inComment) {
      if (ch === '\n') inComment = false
    } else if (context.kind === 'code') {
      if (ch === '#') inComment = true
      else if (ch === '"' || ch === "'" || ch === '`') context = { kind: 'string', quote: ch, regex: followsRegexOperator(template, i - 1) }
    } else if (ch === '\\' && context.quote !== '`') {
      // Copy the escaped character too, so an escaped quote does not end the literal.
      out += template[i] ?? ''
      i++
    } else if (ch === context.quote) {
      context = { kind: 'code' }
    }
  }
  return out
}

function followsRegexOperator(template: string, quoteIndex: number): boolean {
  const before = template.slice(0, quoteIndex).trimEnd()
  return before.endsWith('=~') || before.endsWith('!~')
}

function renderValue(value: TemplateValue, context: Context, forceRegex: boolean): string {
  if (context.kind === 'code') {
    if (forceRegex) throw new Error('the regex filter only applies inside a string literal')
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`number ${value} cannot be written as a PromQL literal here`)
      return String(value)
    }
    if (typeof value !== 'string') throw new Error('a list is only allowed inside a regex string (=~ or !~)')
    if (KEYWORDS.has(value.toLowerCase())) throw new Error(`"${value}" is a PromQL keyword and cannot be inserted outside a string literal`)
    if (BARE_NUMBER.test(value) || BARE_DURATION.test(value) || BARE_NAME.test(value)) return value
    throw new Error(
      `outside a string literal only a number, a duration (5m) or a metric/label name may be inserted; got ${JSON.stringify(value.slice(0, 80))} — put the placeholder inside quotes`
    )
  }
  const regex = context.regex || forceRegex
  let text: string
  if (Array.isArray(value)) {
    if (!regex) throw new Error('a list is only allowed inside a regex string (=~ or !~)')
    if (value.length === 0) throw new Error('an empty list would match only the empty string')
    // Grouped, so text around the placeholder applies to every alternative.
    text = `(?:${value.map((item) => escapeRegex(item)).join('|')})`
  } else if (typeof value === 'number') {
    text = regex ? escapeRegex(String(value)) : String(value)
  } else {
    text = regex ? escapeRegex(value as string) : (value as string)
  }
  return escapeStringContent(text, context.quote)
}
