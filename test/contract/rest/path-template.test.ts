import { describe, expect, it } from 'vitest'
import { parsePathTemplate, PathTemplateError } from '../../../src/contract/rest/path-template.js'

describe('parsePathTemplate', () => {
  it('flattens variables into the segments they match', () => {
    const template = parsePathTemplate('/v1/{parent=shelves/*}/books/{book_id}')
    expect(template.segments).toEqual(['v1', 'shelves', '*', 'books', '*'])
    expect(template.shape).toBe('/v1/shelves/*/books/*')
    expect(template.variables).toEqual([
      { fieldPath: 'parent', firstSegment: 1, segmentCount: 2, pattern: 'shelves/*' },
      { fieldPath: 'book_id', firstSegment: 4, segmentCount: 1, pattern: '*' }
    ])
  })

  it('keeps the verb and ** in the shape', () => {
    const template = parsePathTemplate('/v1/{name=projects/*/locations/**}:cancel')
    expect(template.shape).toBe('/v1/projects/*/locations/**:cancel')
    expect(template.verb).toBe('cancel')
  })

  it('gives renamed variables the same shape but different bindings', () => {
    const a = parsePathTemplate('/v1/{name=shelves/*}')
    const b = parsePathTemplate('/v1/{shelf=shelves/*}')
    const c = parsePathTemplate('/v1/shelves/{name}')
    expect(a.shape).toBe(b.shape)
    expect(a.shape).toBe(c.shape)
    expect(a.variables).toEqual([{ fieldPath: 'name', firstSegment: 1, segmentCount: 2, pattern: 'shelves/*' }])
    expect(b.variables).toEqual([{ fieldPath: 'shelf', firstSegment: 1, segmentCount: 2, pattern: 'shelves/*' }])
    expect(c.variables).toEqual([{ fieldPath: 'name', firstSegment: 2, segmentCount: 1, pattern: '*' }])
  })

  it('accepts nested field paths', () => {
    expect(parsePathTemplate('/v1/{book.name=books/*}').variables[0]!.fieldPath).toBe('book.name')
  })

  it.each([
    ['v1/things', 1, '"/" at the start'],
    ['/v1/{name=shelves/*', 20, '"}"'],
    ['/v1/{=x}', 6, 'a field path'],
    ['/v1//x', 5, 'a literal'],
    ['/v1/x}', 6, '"/", ":verb" or the end']
  ])('rejects %s at character %i', (text, character, expected) => {
    let error: unknown
    try {
      parsePathTemplate(text)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(PathTemplateError)
    expect((error as PathTemplateError).message).toContain(`at character ${character}: expected ${expected}`)
  })
})
