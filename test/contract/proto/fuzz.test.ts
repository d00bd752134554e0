/**
 * Robustness: mutated real files must only ever produce ProtoErrors (never a TypeError,
 * RangeError or stack overflow), and inputs built to provoke super-linear behaviour must scale
 * linearly.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PATHOLOGICAL_FAMILIES } from './pathological.js'
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

// Inputs built to provoke super-linear behaviour. Their timing ratios (8x input → ~8x time) are measured
// by `npm run bench:proto`, not here: a unit test checks outcomes, never the clock.
describe('pathological inputs', () => {
  it.each(PATHOLOGICAL_FAMILIES)('%s: a large instance ends in a tree or a ProtoError', (_name, build) => {
    expect(() => run(build(16_000))).not.toThrow()
  }, 60_000)
})

describe('deep structures', () => {
  it('links a chain of 20,000 public imports without recursing per file', () => {
    const n = 20_000
    const files = new Map<string, string>()
    for (let i = 0; i < n; i++) files.set(`f${i}.proto`, `syntax = "proto3";\npackage p${i};\nimport public "f${i + 1}.proto";\n`)
    files.set(`f${n}.proto`, 'syntax = "proto3";\npackage last;\nmessage End {}\n')
    files.set('main.proto', 'syntax = "proto3";\nimport "f0.proto";\nmessage M { last.End end = 1; }\n')
    const r = compile(files, { targets: ['main.proto'] })
    expect(r.errors).toEqual([])
    expect(r.byPath.get('main.proto')!.messages[0]!.fields[0]!.resolvedTypeName).toBe('.last.End')
  }, 60_000)
})

