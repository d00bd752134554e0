/**
 * Options of the compare that the buf-differential cases do not isolate: errors for unknown IDs,
 * disabling, display paths, --exclude-imports, deprecated IDs of older configs, the unstable
 * package test, and the Go-compatible text helpers buf's messages depend on.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BreakingConfigError, breakingCompare, isUnstablePackage } from '../../../src/contract/breaking.js'
import { goFloat, goQuote } from '../../../src/contract/rules/breaking/format.js'
import { loadSide } from '../../../src/contract/source/compare.js'
import { bufAvailable, bufBreakingRaw, toBufLine } from './oracle.js'

describe('breakingCompare options', () => {
  let work: string
  const base = new Map([
    ['acme/v1/a.proto', 'syntax = "proto3";\npackage acme.v1;\nimport "google/protobuf/timestamp.proto";\nmessage A { google.protobuf.Timestamp at = 1; int32 n = 2; }\n'],
    ['zeta/z.proto', 'syntax = "proto3";\npackage zeta;\nmessage Z { int32 gone = 1; }\n']
  ])
  const head = new Map([
    ['acme/v1/a.proto', 'syntax = "proto3";\npackage acme.v1;\nmessage A { int64 n = 2; }\n'],
    ['zeta/z.proto', 'syntax = "proto3";\npackage zeta;\nmessage Z {}\n']
  ])
  const headFiles = loadSide(head).files
  const baseFiles = loadSide(base).files

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'release-gate-options-'))
    for (const [side, files] of [['head', head], ['base', base]] as const) {
      for (const [file, text] of files) {
        await mkdir(path.dirname(path.join(work, side, file)), { recursive: true })
        await writeFile(path.join(work, side, file), text)
      }
    }
  })
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('rejects rule or category IDs buf does not know, in use, except and ignore_only', () => {
    expect(() => breakingCompare(headFiles, baseFiles, { use: ['FIELD_NO_DELET'] })).toThrow(new BreakingConfigError('"FIELD_NO_DELET" is not a known rule or category ID'))
    expect(() => breakingCompare(headFiles, baseFiles, { except: ['WIRE_JSONN'] })).toThrow(BreakingConfigError)
    expect(() => breakingCompare(headFiles, baseFiles, { ignore_only: { NOPE: ['a'] } })).toThrow(BreakingConfigError)
    // v2 does not know v1's deprecated IDs; v1 maps them to their replacements.
    expect(() => breakingCompare(headFiles, baseFiles, { use: ['FIELD_SAME_LABEL'] })).toThrow(BreakingConfigError)
    expect(breakingCompare(headFiles, baseFiles, { version: 'v1', use: ['FIELD_SAME_LABEL'] }).rules).toEqual([
      'FIELD_SAME_CARDINALITY',
      'FIELD_WIRE_COMPATIBLE_CARDINALITY',
      'FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY'
    ])
  })

  it('runs buf’s 51 default rules when nothing is configured, and none when disabled', () => {
    expect(breakingCompare(headFiles, baseFiles).rules).toHaveLength(51)
    expect(breakingCompare(headFiles, baseFiles, { disabled: true })).toEqual({ findings: [], rules: [] })
  })

  it('prints paths through displayPath and orders by the printed path', () => {
    const findings = breakingCompare(headFiles, baseFiles, { displayPath: (file) => (file.startsWith('zeta/') ? `0/${file}` : `proto/${file}`) }).findings
    expect(findings.map((finding) => finding.path ?? '<input>')).toEqual(['<input>', '0/zeta/z.proto', 'proto/acme/v1/a.proto', 'proto/acme/v1/a.proto'])
  })

  it.skipIf(!bufAvailable)('drops findings on imported files with excludeImports, as buf --exclude-imports does', async () => {
    for (const excludeImports of [false, true]) {
      const buf = await bufBreakingRaw(path.join(work, 'head'), ['--against', '../base', ...(excludeImports ? ['--exclude-imports'] : [])])
      const ours = breakingCompare(headFiles, baseFiles, { excludeImports }).findings.map(toBufLine)
      expect(ours).toEqual(buf)
      expect(buf.some((line) => line.message.includes('google/protobuf/timestamp.proto'))).toBe(!excludeImports)
    }
  })
})

describe('isUnstablePackage (buf protoversion)', () => {
  it.each([
    ['acme.v1', false],
    ['acme.v2', false],
    ['acme.v1beta1', true],
    ['acme.v1alpha', true],
    ['acme.v1p1beta1', true],
    ['acme.v2test', true],
    ['acme.v1testfoo', true],
    ['v1beta1', false],
    ['acme.v0beta1', false],
    ['acme.v1beta0', false],
    ['acme.v1alphabeta1', false],
    ['acme.beta', false],
    ['acme', false],
    ['', false]
  ])('%s → %s', (pkg, unstable) => {
    expect(isUnstablePackage(pkg)).toBe(unstable)
  })
})

describe('Go formatting used in buf messages', () => {
  it.each([
    [1e6, 64, '1e+06'],
    [123456, 64, '123456'],
    [1234567, 64, '1.234567e+06'],
    [1e10, 64, '1e+10'],
    [0.0001, 64, '0.0001'],
    [0.00001, 64, '1e-05'],
    [-2.5, 64, '-2.5'],
    [Math.fround(0.1), 32, '0.1'],
    [Math.fround(16777217), 32, '1.6777216e+07'],
    [Infinity, 64, '+Inf'],
    [-Infinity, 32, '-Inf'],
    [NaN, 64, 'NaN'],
    [-0, 64, '-0']
  ] as const)('%%v of %s (float%i) is %s', (value, bits, text) => {
    expect(goFloat(value, bits)).toBe(text)
  })

  it('quotes like strconv.Quote', () => {
    expect(goQuote('a"b\\c\n\u0001é\u200b')).toBe('"a\\"b\\\\c\\n\\x01é\\u200b"')
  })
})
