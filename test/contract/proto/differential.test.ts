/**
 * Differential tests against buf 1.75 (the dev dependency): every SourceCodeInfo location with
 * its comments, json_name, resolved field types, labels, unused imports and compile error
 * positions must be what buf reports.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile, directoryLoader, listProtoFiles } from '../../../src/contract/proto/index.js'
import { bufErrors, bufImage, bufUnusedImports, diffWithImage, findBuf } from './buf-oracle.js'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
const fixtures = path.resolve(import.meta.dirname, 'fixtures/differential')
const corpus = path.resolve(repoRoot, '../shared/corpus/googleapis')
const buf = findBuf()
const hasCorpus = existsSync(corpus)
if (!buf) console.warn('differential proto tests skipped: the buf binary (@bufbuild/buf) is not installed')
if (buf && !hasCorpus) console.warn(`googleapis differential tests skipped: ${corpus} is absent`)

function diffAgainstBuf(root: string, paths: string[]): string[] {
  const image = bufImage(buf!, root, paths)
  const result = compile(directoryLoader([root]), { targets: paths })
  expect(result.errors.map((e) => e.message)).toEqual([])
  const diffs: string[] = []
  for (const fd of image.file) {
    if (!paths.includes(fd.name)) continue
    diffs.push(...diffWithImage(fd, result.byPath.get(fd.name)!))
  }
  return diffs
}

describe.skipIf(!buf)('differential: hand-written fixtures', () => {
  it('matches buf on options of every shape, proto2 extras, editions 2023/2024 and comments', () => {
    const paths = listProtoFiles(fixtures)
    expect(paths.length).toBeGreaterThanOrEqual(4)
    expect(diffAgainstBuf(fixtures, paths)).toEqual([])
  })
})

describe.skipIf(!buf || !hasCorpus)('differential: googleapis sample', () => {
  // Every 20th file of the tree (362 files, ~80k locations).
  const sample = hasCorpus ? listProtoFiles(corpus).filter((_, i) => i % 20 === 7) : []

  it('matches buf locations, comments, json_name and resolved types', () => {
    expect(diffAgainstBuf(corpus, sample)).toEqual([])
  }, 120_000)

  it('finds the unused imports buf lint reports as IMPORT_USED', () => {
    const result = compile(directoryLoader([corpus]), { targets: sample })
    const ours: string[] = []
    for (const f of result.files) {
      for (const imp of f.imports) {
        if (imp.used) continue
        const s = imp.span
        ours.push(`${f.path}:${s.line}:${s.column}:${s.endLine}:${s.endColumn}`)
      }
    }
    const theirs = bufUnusedImports(buf!, corpus, sample)
    expect(theirs.length).toBeGreaterThan(0)
    expect(ours.sort()).toEqual(theirs)
  }, 120_000)
})

describe.skipIf(!buf)('differential: compile error positions', () => {
  const P3 = 'syntax = "proto3";\n'
  const cases: [string, string][] = [
    ['missing semicolon', `${P3}message Foo {\n  string a = 1\n  string b = 2;\n}\n`],
    ['unclosed body', `${P3}message Foo {\n  string a = 1;\n`],
    ['unknown type', `${P3}message Foo {\n  Bar a = 1;\n}\n`],
    ['unknown type after a wide character (byte columns)', `${P3}message M { /*中*/ Bar x = 1; }\n`],
    ['unknown type after a tab (byte columns)', `${P3}message M {\n\tBar x = 1; }\n`],
    ['duplicate field number', `${P3}message Foo {\n  string a = 1;\n  int32 b = 1;\n}\n`],
    ['duplicate message', `${P3}message Foo {\n  string a = 1;\n}\nmessage Foo {}\n`],
    ['first enum value', `${P3}enum E { A = 1; }\n`],
    ['missing import', `${P3}import "nope.proto";\n`],
    ['unknown option', `${P3}message Foo { string a = 1 [(foo) = 1]; }\n`],
    ['field number 0', `${P3}message Foo { string s = 0; }\n`],
    ['reserved number', `${P3}message Foo { string s = 1; reserved 1; }\n`],
    ['bad syntax', 'syntax = "proto4";\n'],
    ['required in proto3', `${P3}message Foo { required string s = 1; }\n`],
    ['control character', `${P3}message Foo { string s = 1 \u0001; }\n`],
    ['non-ASCII identifier', `${P3}message M { string s = 1 é; }\n`],
    ['unterminated comment', `${P3}/* unterminated\nmessage Foo {}\n`],
    ['json name clash', `${P3}message Foo { string foo_bar = 1; string fooBar = 2; }\n`],
    ['duplicate enum number', `${P3}enum E { A = 0; B = 0; }\n`],
    ['enum values share a scope', `${P3}enum E { A = 0; }\nenum F { A = 0; }\n`],
    ['map key type', `${P3}message M { map<float, string> m = 1; }\n`],
    ['proto3 default', `${P3}message M { string s = 1 [default = "x"]; }\n`],
    ['empty oneof', `${P3}message M { oneof o { } }\n`],
    ['field and message share a name', `${P3}message M { string s = 1; message s {} }\n`],
    ['option value type', `${P3}message M { string s = 1 [deprecated = 1]; }\n`],
    ['unknown enum value in an option', `${P3}message M { string s = 1 [ctype = FOO]; }\n`],
    ['extension outside its ranges', 'syntax = "proto2";\nmessage M { extensions 10 to 20; }\nextend M { optional string s = 30; }\n'],
    ['reserved name used', `${P3}message M { reserved "s"; string s = 1; }\n`],
    ['overlapping ranges', `${P3}message M { reserved 1 to 5; reserved 3; }\n`],
    ['features outside editions', `${P3}option features.field_presence = IMPLICIT;\n`],
    ['option set twice', `${P3}option java_package = "a";\noption java_package = "b";\n`],
    ['packed on a singular field', `${P3}message M { string s = 1 [packed = true]; }\n`],
    ['map_entry set by hand', `${P3}message M { option map_entry = true; }\n`],
    ['extension range in proto3', `${P3}message M { extensions 100 to 200; }\n`]
  ]

  // Our first error must be one buf reports, at buf's first position (buf may add more errors there).
  it.each(cases)('%s', (_name, text) => {
    const theirs = bufErrors(buf!, text)
    expect(theirs.length).toBeGreaterThan(0)
    const first = compile(new Map([['a.proto', text]])).errors[0]
    const ours = first && [first.line, first.column, first.endLine, first.endColumn]
    expect(theirs).toContainEqual(ours)
    expect(ours?.slice(0, 2)).toEqual(theirs[0]!.slice(0, 2))
  })
})
