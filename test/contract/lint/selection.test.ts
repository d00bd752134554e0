import { describe, expect, it } from 'vitest'
import { BufConfigError, parseBufYaml } from '../../../src/contract/bufconfig/index.js'
import { selectLintRules } from '../../../src/contract/rules/registry.js'
import { bufAvailable, bufStdout, repoRoot } from './buf-oracle.js'

/** buf's own answer: the rule IDs `buf config ls-lint-rules --configured-only` lists for a config. */
async function bufSelection(config: object): Promise<string[]> {
  const out = await bufStdout(['config', 'ls-lint-rules', '--configured-only', '--format', 'json', '--config', JSON.stringify(config)], repoRoot)
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .sort()
}

function ourSelection(config: object): string[] {
  return selectLintRules(parseBufYaml(JSON.stringify(config), 'buf.yaml').modules[0]!.lint).ruleIds
}

const agreeing: object[] = [
  { version: 'v2' },
  { version: 'v2', lint: { use: ['STANDARD'] } },
  { version: 'v2', lint: { use: ['DEFAULT'] } },
  { version: 'v2', lint: { use: ['MINIMAL', 'COMMENTS'], except: ['PACKAGE_DEFINED'] } },
  { version: 'v2', lint: { use: ['BASIC', 'UNARY_RPC'], except: ['COMMENTS', 'RPC_NO_CLIENT_STREAMING'] } },
  { version: 'v2', lint: { use: ['IMPORT_NO_WEAK', 'COMMENTS'] } },
  { version: 'v2', lint: { use: ['STABLE_PACKAGE_NO_IMPORT_UNSTABLE', 'ENUM_PASCAL_CASE'] } },
  { version: 'v2', lint: { except: ['STANDARD'], use: ['STANDARD', 'COMMENTS'] } },
  { version: 'v1' },
  { version: 'v1', lint: { use: ['DEFAULT'], except: ['ENUM_PASCAL_CASE', 'COMMENTS'] } },
  { version: 'v1', lint: { use: ['PACKAGE_NO_IMPORT_CYCLE', 'MINIMAL'] } },
  { version: 'v1beta1' },
  { version: 'v1beta1', lint: { use: ['STYLE_DEFAULT', 'IMPORT_NO_WEAK'] } },
  { version: 'v1beta1', lint: { use: ['FILE_LAYOUT', 'SENSIBLE', 'OTHER'] } },
  { version: 'v1beta1', lint: { except: ['STYLE_BASIC'] } }
]

const rejected: object[] = [
  { version: 'v2', lint: { use: ['FIELD_NO_DESCRIPTOR'] } },
  { version: 'v1', lint: { use: ['FIELD_NOT_REQUIRED'] } },
  { version: 'v2', lint: { use: ['FILE'] } },
  { version: 'v2', lint: { ignore_only: { BOGUS: ['a'] } } },
  { version: 'v2', lint: { except: ['NOPE'] } }
]

describe.skipIf(!bufAvailable)('rule selection agrees with buf config ls-lint-rules --configured-only', () => {
  for (const config of agreeing) {
    it(JSON.stringify(config), async () => {
      const expected = await bufSelection(config)
      expect(expected.length).toBeGreaterThan(0)
      expect(ourSelection(config)).toEqual(expected)
    })
  }
  for (const config of rejected) {
    it(`${JSON.stringify(config)} is rejected by both`, async () => {
      await expect(bufSelection(config)).rejects.toThrow(/is not a known rule or category ID/)
      expect(() => ourSelection(config)).toThrow(BufConfigError)
      expect(() => ourSelection(config)).toThrow(/is not a known lint rule or category ID/)
    })
  }
})

describe('rule selection details', () => {
  it('points at the unknown ID in buf.yaml', () => {
    const lint = parseBufYaml('version: v2\nlint:\n  use:\n    - STANDARD\n    - NOPE\n', 'buf.yaml').modules[0]!.lint
    expect(() => selectLintRules(lint)).toThrow('buf.yaml:5:7: "NOPE" is not a known lint rule or category ID for a v2 buf.yaml')
  })

  it('warns about deprecated categories and rules', () => {
    const lint = parseBufYaml('version: v2\nlint:\n  use: [DEFAULT, IMPORT_NO_WEAK]\n', 'buf.yaml').modules[0]!.lint
    expect(selectLintRules(lint).warnings).toEqual([
      'Category DEFAULT referenced in your buf.yaml is deprecated. It has been replaced by category STANDARD.',
      'Rule IMPORT_NO_WEAK referenced in your buf.yaml is deprecated.'
    ])
  })

  it('expands categories in ignore_only to their rules', () => {
    const lint = parseBufYaml('version: v2\nlint:\n  ignore_only:\n    UNARY_RPC: [a]\n    RPC_NO_CLIENT_STREAMING: [b]\n', 'buf.yaml').modules[0]!.lint
    const { ignoreOnly } = selectLintRules(lint)
    expect(ignoreOnly.get('RPC_NO_CLIENT_STREAMING')).toEqual(['a', 'b'])
    expect(ignoreOnly.get('RPC_NO_SERVER_STREAMING')).toEqual(['a'])
  })

  it('selects nothing when lint is disabled; fails clearly when use minus except is empty', () => {
    const disabled = parseBufYaml('version: v2\nlint:\n  ignore: [.]\n', 'buf.yaml').modules[0]!.lint
    expect(selectLintRules(disabled).ruleIds).toEqual([])
    const empty = parseBufYaml('version: v2\nlint:\n  use: [COMMENTS]\n  except: [COMMENTS]\n', 'buf.yaml').modules[0]!.lint
    expect(() => selectLintRules(empty)).toThrow('buf.yaml:2:1: no lint rules are left')
  })
})
