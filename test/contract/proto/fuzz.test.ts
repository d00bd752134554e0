/**
 * Robustness: mutated real files must only ever produce ProtoErrors (never a TypeError,
 * RangeError or stack overflow), and inputs built to provoke super-linear behaviour must scale
 * linearly.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProtoError, WELL_KNOWN_TYPES, compile, listProtoFiles, parseFile } from '../../../src/contract/proto/index.js'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
const corpus = path.resolve(repoRoot, '../shared/corpus/googleapis')
const fixtures = path.resolve(import.meta.dirname, 'fixtures/differential')

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SNIPPETS = [
  '{', '}', '[', ']', '(', ')', '<', '>', ';', '=', ',', '.', ':', '-', '"', "'", '/*', '*/', '//', '\n', '\\', '\t',
  '0x', '1e', '077', '09', '1.5', 'max', 'to', 'option', 'message', 'enum', 'map<', 'stream', 'group', 'oneof', 'extend',
  'reserved', 'extensions', 'returns', 'rpc', 'service', 'import public', 'optional', 'required', 'repeated',
  'syntax = "proto2";', 'edition = "2023";', 'edition = "2024";', 'export', '(google.api.http)', '[json_name = "x"]',
  '{ a: [1, 2] b < c: "d" > }', '"\\x"', '"\\u12"', 'é', '中', '😀', '\u0000', '\u0001', '\r', 'inf', '-nan'
]

function mutate(text: string, random: () => number): string {
  let out = text
  const edits = 1 + Math.floor(random() * 3)
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * (out.length + 1))
    switch (Math.floor(random() * 6)) {
      case 0: // delete a few characters
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8))
        break
      case 1: // insert a token-ish snippet
        out = out.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + out.slice(at)
        break
      case 2: {
        // swap two words
        const words = out.split(/(\s+)/)
        const i = Math.floor(random() * words.length)
        const j = Math.floor(random() * words.length)
        ;[words[i], words[j]] = [words[j]!, words[i]!]
        out = words.join('')
        break
      }
      case 3: {
        // duplicate a line
        const lines = out.split('\n')
        const i = Math.floor(random() * lines.length)
        lines.splice(i, 0, lines[i]!)
        out = lines.join('\n')
        break
      }
      case 4: // truncate
        out = out.slice(0, at)
        break
      default: {
        // delete a whole word
        const words = out.split(/(\s+)/)
        words.splice(Math.floor(random() * words.length), 1)
        out = words.join('')
      }
    }
  }
  return out
}

/** Real files to mutate: a spread of the googleapis tree when present, else the fixtures and well-known types. */
function seeds(): { path: string; text: string }[] {
  const out = [...WELL_KNOWN_TYPES].map(([p, text]) => ({ path: p, text }))
  for (const p of listProtoFiles(fixtures)) out.push({ path: p, text: readFileSync(path.join(fixtures, p), 'utf8') })
  if (existsSync(corpus)) {
    const all = listProtoFiles(corpus)
    for (let i = 0; i < all.length && out.length < 300; i += 37) {
      const text = readFileSync(path.join(corpus, all[i]!), 'utf8')
      if (text.length < 40_000) out.push({ path: all[i]!, text })
    }
  } else {
    console.warn(`proto fuzz test: ${corpus} is absent; mutating fixtures and well-known types only`)
  }
  return out
}

describe('fuzz: mutated real files', () => {
  it('parse 10,000 mutations (and compile every 25th) throwing nothing but ProtoError', () => {
    const files = seeds()
    const random = rng(0x5eed)
    const failures: string[] = []
    let protoErrors = 0
    let parsed = 0
    for (let i = 0; i < 10_000; i++) {
      const base = files[i % files.length]!
      const text = mutate(base.text, random)
      try {
        parseFile(base.path, text)
        parsed++
      } catch (e) {
        if (e instanceof ProtoError) protoErrors++
        else failures.push(`#${i} ${base.path}: parse threw ${(e as Error).name}: ${(e as Error).message}`)
      }
      if (i % 25 === 0) {
        try {
          const r = compile(new Map([[base.path, text]]))
          for (const err of r.errors) if (!(err instanceof ProtoError)) failures.push(`#${i}: compile returned a non-ProtoError`)
        } catch (e) {
          failures.push(`#${i} ${base.path}: compile threw ${(e as Error).name}: ${(e as Error).message}`)
        }
      }
    }
    expect(failures).toEqual([])
    // The mutations must exercise both outcomes.
    expect(protoErrors).toBeGreaterThan(1000)
    expect(parsed).toBeGreaterThan(500)
  }, 60_000)
})

/** Best-of-3 milliseconds to run `f`. */
function time(f: () => void): number {
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    f()
    best = Math.min(best, performance.now() - t)
  }
  return best
}

/** Runs `text` through the parser and, when it parses, the linker; ProtoErrors are expected outcomes. */
function run(text: string): void {
  try {
    parseFile('x.proto', text)
  } catch (e) {
    if (!(e instanceof ProtoError)) throw e
    return
  }
  compile(new Map([['x.proto', text]]))
}

describe('linear time', () => {
  const P3 = 'syntax = "proto3";\n'
  const families: [string, (n: number) => string][] = [
    ['line comments before a declaration', (n) => P3 + '// comment line\n'.repeat(n) + 'message M {}\n'],
    ['comment paragraphs separated by blank lines', (n) => P3 + '// paragraph\n\n'.repeat(n) + 'message M {}\n'],
    ['block comments on one line', (n) => P3 + '/* c */ '.repeat(n) + 'message M {}\n'],
    ['a long line of tabs and wide characters before an error', (n) => P3 + '/*' + '\t中é'.repeat(n) + '*/ message M { Missing m = 1; }\n'],
    ['many fields', (n) => P3 + 'message M {\n' + Array.from({ length: n }, (_, i) => `  int32 f${i} = ${i + 1};\n`).join('') + '}\n'],
    ['many nested messages', (n) => P3 + 'message M {\n' + Array.from({ length: n }, (_, i) => `  message N${i} { N${i} self = 1; }\n`).join('') + '}\n'],
    ['a long string with escapes', (n) => P3 + 'option java_package = "' + '\\x41\\101'.repeat(n) + '";\n'],
    ['many adjacent strings', (n) => P3 + 'option java_package = ' + '"a" '.repeat(n) + ';\n'],
    ['a large message literal', (n) => P3 + 'import "google/protobuf/descriptor.proto";\nextend google.protobuf.FileOptions { R r = 50000; }\nmessage R { repeated int32 a = 1; }\noption (r) = {' + ' a: 1'.repeat(n) + ' };\n'],
    ['a long dotted name', (n) => P3 + 'message M { ' + 'a.'.repeat(n) + 'B x = 1; }\n'],
    ['many reserved ranges', (n) => P3 + 'message M { reserved ' + Array.from({ length: n }, (_, i) => String(n - i)).join(', ') + '; }\n'],
    ['many enum values', (n) => P3 + 'enum E {\n' + Array.from({ length: n }, (_, i) => `  E_${i} = ${i};\n`).join('') + '}\n'],
    ['nesting near the limit, repeated', (n) => P3 + ('message A { '.repeat(90) + '}'.repeat(90) + '\n').repeat(Math.max(1, n / 90))]
  ]

  it.each(families)('%s', (_name, build) => {
    const small = build(2_000)
    const large = build(16_000)
    run(small) // warm up
    const ratio = time(() => run(large)) / Math.max(time(() => run(small)), 0.05)
    // 8x the input: linear is ~8, quadratic ~64. The bound leaves room for a noisy machine.
    expect(ratio).toBeLessThan(24)
  }, 60_000)
})
