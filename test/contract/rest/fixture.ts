/** The grpc-gateway example as a compare input, and edited copies of its library.proto. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const exampleRoot = path.join(repoRoot, 'examples/grpc-gateway/proto')
export const LIBRARY = 'acme/library/v1/library.proto'

const read = (modulePath: string): string => readFileSync(path.join(exampleRoot, modulePath), 'utf8')

export const libraryText = read(LIBRARY)

/** The example's files with library.proto replaced by `text`. */
export function moduleWith(text: string): Map<string, string> {
  return new Map([
    ['google/api/annotations.proto', read('google/api/annotations.proto')],
    ['google/api/http.proto', read('google/api/http.proto')],
    [LIBRARY, text]
  ])
}

/** library.proto with each `from` replaced by `to`; a `from` that is missing fails the test. */
export function edited(...edits: [from: string, to: string][]): string {
  let text = libraryText
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} is not in ${LIBRARY}`)
    text = text.replace(from, to)
  }
  return text
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle)
  if (offset < 0) throw new Error(`${JSON.stringify(needle)} not found`)
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: before[before.length - 1]!.length + 1 }
}
