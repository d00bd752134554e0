import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUF_YAML_VERSIONS } from '../../../src/contract/bufconfig/types.js'
import { LINT_RULES, listLintRules } from '../../../src/contract/rules/registry.js'
import { bufAvailable, bufStdout, repoRoot } from './buf-oracle.js'

function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l))
}

describe.skipIf(!bufAvailable)('lint registry equals buf config ls-lint-rules', () => {
  for (const version of BUF_YAML_VERSIONS) {
    for (const includeDeprecated of [false, true]) {
      it(`${version}${includeDeprecated ? ' --include-deprecated' : ''}: same rules, categories, defaults, purposes and order`, async () => {
        const args = ['config', 'ls-lint-rules', '--version', version, '--format', 'json', ...(includeDeprecated ? ['--include-deprecated'] : [])]
        const expected = jsonLines(await bufStdout(args, repoRoot))
        expect(listLintRules(version, includeDeprecated)).toEqual(expected)
      })
    }
  }
})

describe('lint registry as data', () => {
  it('has 45 v2 rules plus the deprecated IMPORT_NO_WEAK, and the v1beta1-only FIELD_NO_DESCRIPTOR', () => {
    expect(listLintRules('v2')).toHaveLength(45)
    expect(listLintRules('v2', true).filter((r) => r.deprecated).map((r) => r.id)).toEqual(['IMPORT_NO_WEAK'])
    expect(LINT_RULES.map((r) => r.id)).toContain('FIELD_NO_DESCRIPTOR')
  })

  it('uses buf-style IDs, unique, with a purpose sentence', () => {
    const ids = LINT_RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[A-Z0-9][A-Z0-9_]*[A-Z0-9]$/)
      expect(rule.purpose).toMatch(/^Checks that .*\.$/)
      expect(rule.kind).toBe('lint')
      expect(rule.default && rule.deprecated).toBeFalsy()
    }
  })
})

describe('one file per rule', () => {
  it('each rule lives in src/contract/rules/lint/<rule_id_lowercase>.ts', () => {
    for (const rule of LINT_RULES) {
      const file = path.join(repoRoot, 'src/contract/rules/lint', `${rule.id.toLowerCase()}.ts`)
      expect(existsSync(file), file).toBe(true)
      expect(readFileSync(file, 'utf8')).toContain(`id: '${rule.id}'`)
    }
  })
})
