import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, directoryLoader, listProtoFiles } from '../../../src/contract/proto/index.js'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
const corpus = path.resolve(repoRoot, '../shared/corpus/googleapis')
const hasCorpus = existsSync(corpus)
if (!hasCorpus) console.warn(`googleapis corpus test skipped: ${corpus} is absent`)

describe.skipIf(!hasCorpus)('googleapis corpus', () => {
  it('parses and links all 7,227 files without an error', () => {
    const targets = listProtoFiles(corpus)
    expect(targets).toHaveLength(7227)
    const result = compile(directoryLoader([corpus]), { targets })
    expect(result.errors.map((e) => e.message)).toEqual([])
    expect(result.files).toHaveLength(7227)

    let fields = 0
    let unresolved = 0
    let unused = 0
    for (const f of result.files) {
      for (const imp of f.imports) if (!imp.used) unused++
      const visit = (msgs: typeof f.messages) => {
        for (const m of msgs) {
          for (const x of m.fields) {
            fields++
            if (x.type === undefined) unresolved++
          }
          visit(m.messages)
        }
      }
      visit(f.messages)
    }
    expect(fields).toBeGreaterThan(100_000)
    expect(unresolved).toBe(0)
    // buf lint (IMPORT_USED) reports exactly 462 unused imports on this tree.
    expect(unused).toBe(462)
  }, 180_000)
})
