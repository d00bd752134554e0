/**
 * Differential test against buf 1.75: every fixture directory under testdata/lint is linted by
 * `buf lint --error-format json` and by lintWorkspace; the findings must be identical — rule,
 * path, start and end positions and message.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintWorkspace } from '../../../src/contract/lint.js'
import { listLintRules } from '../../../src/contract/rules/registry.js'
import { bufAvailable, bufLint, fromBuf, fromOurs, repoRoot } from './buf-oracle.js'

const fixtures = path.join(repoRoot, 'test/contract/testdata/lint')
/** Fixtures where release-gate differs from buf on purpose; each has its own test. */
const NOT_DIFFERENTIAL = new Set(['protovalidate'])

const dirs = readdirSync(fixtures, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_DIFFERENTIAL.has(d.name))
  .map((d) => d.name)
  .sort()

describe.skipIf(!bufAvailable)('lint findings equal buf lint on hand-written fixtures', () => {
  for (const dir of dirs) {
    it(dir, async () => {
      const root = path.join(fixtures, dir)
      const [expected, ours] = await Promise.all([bufLint(root), lintWorkspace(root)])
      expect(ours.compiled).toBe(true)
      expect(expected.length).toBeGreaterThan(0)
      expect(ours.findings.map(fromOurs)).toEqual(expected.map(fromBuf))
    })
  }
})

/** For each rule, a fixture where buf reports it; the rule runs alone there (`--config` with `use: [RULE]`). */
const RULE_FIXTURES: Record<string, string> = {
  COMMENT_ENUM: 'comments',
  COMMENT_ENUM_VALUE: 'comments',
  COMMENT_FIELD: 'comments',
  COMMENT_MESSAGE: 'comments',
  COMMENT_ONEOF: 'comments',
  COMMENT_RPC: 'comments',
  COMMENT_SERVICE: 'comments',
  DIRECTORY_SAME_PACKAGE: 'directory_same_package',
  ENUM_FIRST_VALUE_ZERO: 'enum_first_value_zero',
  ENUM_NO_ALLOW_ALIAS: 'enum_no_allow_alias',
  ENUM_PASCAL_CASE: 'enum_pascal_case',
  ENUM_VALUE_PREFIX: 'enum_value_prefix',
  ENUM_VALUE_UPPER_SNAKE_CASE: 'enum_value_upper_snake_case',
  ENUM_ZERO_VALUE_SUFFIX: 'enum_zero_value_suffix',
  FIELD_LOWER_SNAKE_CASE: 'field_lower_snake_case',
  FIELD_NOT_REQUIRED: 'field_not_required',
  FILE_LOWER_SNAKE_CASE: 'file_lower_snake_case',
  IMPORT_NO_PUBLIC: 'imports',
  IMPORT_USED: 'imports',
  MESSAGE_PASCAL_CASE: 'message_pascal_case',
  ONEOF_LOWER_SNAKE_CASE: 'oneof_lower_snake_case',
  PACKAGE_DEFINED: 'package_defined',
  PACKAGE_DIRECTORY_MATCH: 'package_directory_match',
  PACKAGE_LOWER_SNAKE_CASE: 'package_lower_snake_case',
  PACKAGE_NO_IMPORT_CYCLE: 'package_no_import_cycle',
  PACKAGE_SAME_CSHARP_NAMESPACE: 'package_same_options',
  PACKAGE_SAME_DIRECTORY: 'package_same_directory',
  PACKAGE_SAME_GO_PACKAGE: 'package_same_options',
  PACKAGE_SAME_JAVA_MULTIPLE_FILES: 'package_same_options',
  PACKAGE_SAME_JAVA_PACKAGE: 'package_same_options',
  PACKAGE_SAME_PHP_NAMESPACE: 'package_same_options',
  PACKAGE_SAME_RUBY_PACKAGE: 'package_same_options',
  PACKAGE_SAME_SWIFT_PREFIX: 'package_same_options',
  PACKAGE_VERSION_SUFFIX: 'package_version_suffix',
  RPC_NO_CLIENT_STREAMING: 'rpcs',
  RPC_NO_SERVER_STREAMING: 'rpcs',
  RPC_PASCAL_CASE: 'rpcs',
  RPC_REQUEST_RESPONSE_UNIQUE: 'rpc_request_response_unique',
  RPC_REQUEST_STANDARD_NAME: 'rpcs',
  RPC_RESPONSE_STANDARD_NAME: 'rpcs',
  SERVICE_PASCAL_CASE: 'rpcs',
  SERVICE_SUFFIX: 'rpcs',
  STABLE_PACKAGE_NO_IMPORT_UNSTABLE: 'stable_package_no_import_unstable',
  SYNTAX_SPECIFIED: 'syntax_specified'
}

describe.skipIf(!bufAvailable)('each lint rule alone equals buf on a fixture that violates it', () => {
  it('covers every v2 rule except PROTOVALIDATE (not implemented, tested on its own)', () => {
    const covered = new Set(Object.keys(RULE_FIXTURES))
    const expected = listLintRules('v2').map((r) => r.id).filter((id) => id !== 'PROTOVALIDATE')
    expect([...covered].sort()).toEqual(expected.sort())
  })

  const cases: [string, string, string][] = [
    ...Object.entries(RULE_FIXTURES).map(([rule, dir]): [string, string, string] => [rule, dir, 'v2']),
    ['FIELD_NO_DESCRIPTOR', 'v1beta1_roots', 'v1beta1']
  ]
  for (const [rule, dir, version] of cases) {
    it(`${rule} (${dir}, ${version})`, async () => {
      const root = path.join(fixtures, dir)
      const config = { version, ...(version === 'v1beta1' ? { build: { roots: ['proto', 'vendor'] } } : {}), lint: { use: [rule] } }
      const [expected, ours] = await Promise.all([bufLint(root, ['--config', JSON.stringify(config)]), lintWorkspace(root, { configOverride: JSON.stringify(config) })])
      expect(expected.length).toBeGreaterThan(0)
      expect(new Set(expected.map((a) => a.type))).toEqual(new Set([rule]))
      expect(ours.findings.map(fromOurs)).toEqual(expected.map(fromBuf))
    })
  }
})
