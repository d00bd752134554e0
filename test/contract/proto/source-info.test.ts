import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, directoryLoader, locationOf, sourceLocations, spanArray, type ProtoFile } from '../../../src/contract/proto/index.js'

const fixtures = path.resolve(import.meta.dirname, 'fixtures/differential')

function load(file: string): ProtoFile {
  const r = compile(directoryLoader([fixtures]), { targets: [file] })
  expect(r.errors).toEqual([])
  return r.byPath.get(file)!
}

/** 0-based SourceCodeInfo spans of every location with this path. */
function spans(file: ProtoFile, path: number[]): number[][] {
  return sourceLocations(file)
    .filter((l) => l.path.join('.') === path.join('.'))
    .map((l) => spanArray(l.span))
}

describe('source locations (values from buf 1.75 SourceCodeInfo of the same file)', () => {
  const file = load('acme/quirks/v1/quirks.proto')

  it('repeats the extensions statement for every range and gives `max` its own span', () => {
    expect(spans(file, [4, 1, 5])).toEqual([
      [42, 2, 36],
      [42, 2, 36]
    ])
    expect(spans(file, [4, 1, 5, 1, 2])).toEqual([[42, 32, 35]])
  })

  it('gives only the first reserved statement a location of its own', () => {
    expect(spans(file, [4, 1, 9])).toEqual([[43, 2, 21]])
    expect(spans(file, [4, 1, 9, 2])).toEqual([[45, 11, 12]])
    expect(spans(file, [4, 1, 10, 1])).toEqual([[44, 16, 19]])
  })

  it('records groups as a field and a message, maps by their map<> type, streams by keyword', () => {
    expect(spans(file, [4, 1, 2, 0, 6])).toEqual([[38, 11, 16]])
    expect(locationOf(file, [4, 1, 3, 0])).toMatchObject({ trailingComments: ' grp trailing' })
    expect(spanArray(locationOf(file, [4, 1, 3, 0])!.span)).toEqual([38, 2, 40, 3])
    expect(spans(file, [4, 1, 2, 1, 6])).toEqual([[41, 2, 18]])
    expect(spans(file, [6, 0, 2, 0, 5])).toEqual([[53, 8, 14]])
    expect(spans(file, [6, 0, 2, 0, 4, 34])).toEqual([[53, 42, 85]])
    expect(spans(file, [7, 0, 7])).toEqual([[50, 30, 43]])
  })

  it('puts comments of option statements on the option field path', () => {
    expect(locationOf(file, [5, 0, 3, 2])).toMatchObject({ trailingComments: ' trailing allow' })
  })

  it('returns the same spans as the AST getters', () => {
    const bar = file.messages[1]!
    expect(locationOf(file, [4, 1, 1])!.span).toEqual(bar.nameSpan)
    expect(locationOf(file, [4, 1, 2, 1, 3])!.span).toEqual(bar.fields[1]!.numberSpan)
    expect(locationOf(file, [4, 1, 5, 0, 1])!.span).toEqual(bar.extensionRanges[0]!.startSpan)
    expect(locationOf(file, [999])).toBeUndefined()
  })

  it('starts with the whole-file location', () => {
    expect(sourceLocations(file)[0]).toMatchObject({ path: [] })
    expect(spanArray(sourceLocations(file)[0]!.span)).toEqual([3, 0, 55, 1])
  })
})
