import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseBufYaml } from '../../../src/contract/bufconfig/index.js'
import { lintModule, lintReportFindings, lintWorkspace } from '../../../src/contract/lint.js'
import { compile } from '../../../src/contract/proto/index.js'
import { bufAvailable, bufLint, repoRoot } from './buf-oracle.js'

function lintConfig(yaml: string) {
  return parseBufYaml(yaml, 'buf.yaml').modules[0]!.lint
}

function compiled(files: Record<string, string>) {
  const result = compile(new Map(Object.entries(files)))
  expect(result.errors.map((e) => e.message)).toEqual([])
  return result.files
}

describe('lintModule', () => {
  const files = compiled({
    'a/v1/a.proto': [
      'syntax = "proto3";',
      'package a.v1;',
      'message M {',
      '  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE',
      '  string badOne = 1;',
      '  string badTwo = 2;',
      '}',
      ''
    ].join('\n'),
    'a/v1/skip/b.proto': 'syntax = "proto3";\npackage a.v1.skip;\nmessage N { string badThree = 1; }\n'
  })

  it('applies comment ignores only when allowed', () => {
    const allowed = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n') })
    expect(allowed.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['a/v1/a.proto:6', 'a/v1/skip/b.proto:3'])
    const disallowed = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n  disallow_comment_ignores: true\n') })
    expect(disallowed.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['a/v1/a.proto:5', 'a/v1/a.proto:6', 'a/v1/skip/b.proto:3'])
  })

  it('drops findings under ignore and ignore_only paths', () => {
    const ignored = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n  ignore: [a/v1/skip]\n') })
    expect(ignored.findings.map((f) => f.line)).toEqual([6])
    const onlyOther = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n  ignore_only:\n    MESSAGE_PASCAL_CASE: [a]\n') })
    expect(onlyOther.findings).toHaveLength(2)
    const onlyThis = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n  ignore_only:\n    BASIC: [a/v1/a.proto]\n') })
    expect(onlyThis.findings.map((f) => f.path)).toEqual(['a/v1/skip/b.proto'])
  })

  it('prints paths through displayPath and reports the rules it ran', () => {
    const result = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE, PACKAGE_DIRECTORY_MATCH]\n'), displayPath: (p) => `proto/${p}` })
    expect(result.rules).toEqual(['FIELD_LOWER_SNAKE_CASE', 'PACKAGE_DIRECTORY_MATCH'])
    expect(result.findings.every((f) => f.path.startsWith('proto/a/v1/'))).toBe(true)
    expect(result.notRun).toEqual([])
  })

  it('runs nothing when lint is disabled by an ignore of the module root', () => {
    expect(lintModule({ files, config: lintConfig('version: v2\nlint:\n  ignore: [.]\n') })).toMatchObject({ findings: [], rules: [] })
  })
})

describe('PROTOVALIDATE is reported as not run, never as a pass', () => {
  const dir = path.join(repoRoot, 'test/contract/testdata/lint/protovalidate')

  it('a module that uses buf.validate options gets notRun with the first use named', async () => {
    const result = await lintWorkspace(dir)
    expect(result.findings).toEqual([])
    expect(result.modules[0]!.rules).toEqual(['PROTOVALIDATE'])
    expect(result.modules[0]!.notRun).toHaveLength(1)
    expect(result.modules[0]!.notRun[0]!.rule).toBe('PROTOVALIDATE')
    expect(result.modules[0]!.notRun[0]).toEqual({
      rule: 'PROTOVALIDATE',
      reason:
        'the module uses protovalidate option (buf.validate.field).string.min_len; validating protovalidate rules and compiling their CEL expressions is not implemented',
      span: { path: 'acme/v1/a.proto', line: 5, column: 20, endLine: 5, endColumn: 59 }
    })
    const reported = lintReportFindings(result)
    expect(reported).toEqual([
      expect.objectContaining({ rule: 'PROTOVALIDATE', severity: 'warning', path: 'acme/v1/a.proto', line: 5, column: 20, message: expect.stringMatching(/^PROTOVALIDATE was not run: /) })
    ])
  })

  it.skipIf(!bufAvailable)('(buf does judge them: it reports findings there)', async () => {
    expect((await bufLint(dir)).map((a) => a.type)).toEqual(['PROTOVALIDATE', 'PROTOVALIDATE', 'PROTOVALIDATE'])
  })

  it('a module without buf.validate options has nothing for the rule to look at: no findings, nothing skipped', () => {
    const files = compiled({ 'a/v1/a.proto': 'syntax = "proto3";\npackage a.v1;\nmessage M { string name = 1 [deprecated = true]; }\n' })
    const result = lintModule({ files, config: lintConfig('version: v2\nlint:\n  use: [PROTOVALIDATE]\n') })
    expect(result).toMatchObject({ findings: [], notRun: [], rules: ['PROTOVALIDATE'] })
  })
})

describe('buf.yaml features release-gate does not run are reported', () => {
  it('plugins, policies and deps become CONFIG warnings; deprecations become notices', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-lint-unsupported-'))
    try {
      await mkdir(path.join(dir, 'a/v1'), { recursive: true })
      await writeFile(path.join(dir, 'a/v1/a.proto'), 'syntax = "proto3";\npackage a.v1;\nmessage M {}\n')
      await writeFile(
        path.join(dir, 'buf.yaml'),
        'version: v2\ndeps: [buf.build/acme/dep]\nlint:\n  use: [DEFAULT]\nplugins:\n  - plugin: buf-plugin-suffix\npolicies:\n  - policy: buf.build/acme/policy\n'
      )
      const result = await lintWorkspace(dir)
      expect(result.unsupported).toEqual([
        'buf.yaml:6:5: buf-plugin-suffix: buf check plugins and policies are not run by release-gate',
        'buf.yaml:8:5: buf.build/acme/policy: buf check plugins and policies are not run by release-gate',
        'buf.yaml: deps (buf.build/acme/dep) are not downloaded by release-gate; imports from them cannot be resolved'
      ])
      const reported = lintReportFindings(result)
      expect(reported.map((f) => [f.rule, f.severity])).toEqual([
        ['CONFIG', 'notice'],
        ['CONFIG', 'warning'],
        ['CONFIG', 'warning'],
        ['CONFIG', 'warning']
      ])
      expect(reported[0]!.message).toBe('Category DEFAULT referenced in your buf.yaml is deprecated. It has been replaced by category STANDARD.')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
