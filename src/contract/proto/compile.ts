import type { ProtoFile } from './ast.js'
import { ProtoError, errorAt } from './errors.js'
import { LinkContext, link } from './linker.js'
import { mapLoader, type Loader } from './loader.js'
import { parseFile } from './parser.js'
import { WELL_KNOWN_TYPES } from './wkt.js'

export interface CompileOptions {
  /**
   * Import paths of the files to compile. Their imports are loaded as needed. Defaults to every
   * key when the input is a Map; required with a Loader.
   */
  targets?: readonly string[]
}

export interface CompileResult {
  /** The target files, in the order given (those that failed to parse are left out). */
  files: ProtoFile[]
  /** Every file of the compilation by import path: targets, imports, well-known types. */
  byPath: Map<string, ProtoFile>
  /** Sorted by file, line, column. Empty when everything compiled. */
  errors: ProtoError[]
  /** Milliseconds spent reading+parsing and linking. */
  timings: { parseMs: number; linkMs: number }
}

const DESCRIPTOR = 'google/protobuf/descriptor.proto'

/**
 * Parses the targets and everything they import, then links them. Well-known types
 * (google/protobuf/*.proto) come from the embedded copies, as buf's do. When any file fails to
 * parse, only the syntax errors are returned and nothing is linked (later errors would only be
 * consequences).
 */
export function compile(input: ReadonlyMap<string, string> | Loader, options: CompileOptions = {}): CompileResult {
  const loader: Loader = isLoader(input) ? input : mapLoader(input)
  const targets = options.targets ?? (isLoader(input) ? [] : [...input.keys()])
  const byPath = new Map<string, ProtoFile>()
  const errors: ProtoError[] = []
  const failed = new Set<string>()

  const load = (path: string): ProtoFile | undefined => {
    const known = byPath.get(path)
    if (known || failed.has(path)) return known
    const text = WELL_KNOWN_TYPES.get(path) ?? loader.read(path)
    if (text === undefined) return undefined
    try {
      const file = parseFile(path, text)
      byPath.set(path, file)
      return file
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e
      errors.push(e)
      failed.add(path)
      return undefined
    }
  }

  const parseStart = performance.now()
  const queue: string[] = [...targets, DESCRIPTOR]
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!
    if (byPath.has(path) || failed.has(path)) continue
    const file = load(path)
    if (!file) {
      if (!failed.has(path) && i < targets.length) errors.push(new ProtoError(path, undefined, 'file does not exist'))
      continue
    }
    for (const imp of file.imports) queue.push(imp.path)
  }
  for (const file of byPath.values()) {
    for (const imp of file.imports) {
      imp.file = byPath.get(imp.path)
      // An import that failed to parse already has its syntax error.
      if (!imp.file && !failed.has(imp.path)) errors.push(errorAt(file.path, file.lines, imp.spanStart, imp.spanEnd, 'imported file does not exist'))
    }
  }

  const files = targets.map((t) => byPath.get(t)).filter((f): f is ProtoFile => f !== undefined)
  const linkStart = performance.now()
  if (failed.size === 0) {
    // Well-known types first, then by path: decides which of two duplicates is reported.
    const all = [...byPath.values()].sort((a, b) => Number(!WELL_KNOWN_TYPES.has(a.path)) - Number(!WELL_KNOWN_TYPES.has(b.path)) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    for (const e of link(all, new LinkContext())) errors.push(e)
  }
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column)
  const end = performance.now()
  return { files, byPath, errors, timings: { parseMs: linkStart - parseStart, linkMs: end - linkStart } }
}

function isLoader(x: ReadonlyMap<string, string> | Loader): x is Loader {
  return !(x instanceof Map) && typeof (x as Loader).read === 'function'
}
