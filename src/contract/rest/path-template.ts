/**
 * google.api.http path templates (the grammar documented in google/api/http.proto):
 *
 *   Template = "/" Segments [ Verb ] ;   Segments = Segment { "/" Segment } ;
 *   Segment  = "*" | "**" | LITERAL | Variable ;
 *   Variable = "{" FieldPath [ "=" Segments ] "}" ;   Verb = ":" LITERAL ;
 *
 * Two templates are the same route when their flattened segment lists (variables replaced by
 * what they match) and verbs are equal; the variable names only say which request field a
 * part of the URL fills, which is a separate contract (see `bindings`).
 */

export interface PathVariable {
  /** The request field the matched text is written to, e.g. `name` or `book.name`. */
  fieldPath: string
  /** Index of the first flattened segment the variable matches. */
  firstSegment: number
  /** Number of flattened segments it matches. */
  segmentCount: number
  /** The segments it matches, e.g. `shelves/*`; `*` when the template writes `{name}`. */
  pattern: string
}

export interface PathTemplate {
  text: string
  /** Literals, `*` and `**`, variables expanded into the segments they match. */
  segments: string[]
  verb?: string
  variables: PathVariable[]
  /** The route shape: `/v1/shelves/*` plus `:verb`; equal shapes match the same URLs. */
  shape: string
}

export class PathTemplateError extends Error {
  override readonly name = 'PathTemplateError'
  constructor(
    readonly template: string,
    readonly offset: number,
    readonly expected: string
  ) {
    super(`invalid path template ${JSON.stringify(template)} at character ${offset + 1}: expected ${expected}`)
  }
}

export function parsePathTemplate(text: string): PathTemplate {
  let position = 0
  const segments: string[] = []
  const variables: PathVariable[] = []
  const fail = (expected: string): never => {
    throw new PathTemplateError(text, position, expected)
  }
  const literal = (): string => {
    const match = /^[^/{}=:*]+/.exec(text.slice(position))
    if (!match) return fail('a literal, "*", "**" or "{variable}"')
    position += match[0].length
    return match[0]
  }
  const plainSegment = (): string => {
    if (text.startsWith('**', position)) {
      position += 2
      return '**'
    }
    if (text[position] === '*') {
      position += 1
      return '*'
    }
    return literal()
  }
  const segment = (): void => {
    if (text[position] !== '{') {
      segments.push(plainSegment())
      return
    }
    position += 1
    const match = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(position))
    if (!match) return fail('a field path inside "{…}"')
    position += match[0].length
    const firstSegment = segments.length
    const inner: string[] = []
    if (text[position] === '=') {
      position += 1
      inner.push(plainSegment())
      while (text[position] === '/') {
        position += 1
        inner.push(plainSegment())
      }
    } else {
      inner.push('*')
    }
    if (text[position] !== '}') return fail('"}"')
    position += 1
    segments.push(...inner)
    variables.push({ fieldPath: match[0], firstSegment, segmentCount: inner.length, pattern: inner.join('/') })
  }

  if (text[position] !== '/') fail('"/" at the start')
  position += 1
  segment()
  while (text[position] === '/') {
    position += 1
    segment()
  }
  let verb: string | undefined
  if (text[position] === ':') {
    position += 1
    verb = literal()
  }
  if (position !== text.length) fail('"/", ":verb" or the end of the template')
  const shape = '/' + segments.join('/') + (verb !== undefined ? ':' + verb : '')
  return { text, segments, ...(verb !== undefined ? { verb } : {}), variables, shape }
}

