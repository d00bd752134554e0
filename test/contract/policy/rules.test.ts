import { describe, expect, it } from 'vitest'
import { PolicyConfigError, policyCompare, selectPolicyRules } from '../../../src/contract/policy/compare.js'
import { policyRules } from '../../../src/contract/policy/rules.js'
import { compiled } from './helpers.js'

const FILE = 'acme/pet/v1/pet.proto'
const base = `syntax = "proto3";
package acme.pet.v1;
message Pet {
  reserved 4, 8 to 10;
  reserved "nickname";
  string name = 1;
  int32 age = 2;
}
enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_DOG = 1;
  reserved 5;
  reserved "KIND_FISH";
}
`

function findings(head: string, rule: string) {
  return policyCompare({ head: compiled({ [FILE]: head }), base: compiled({ [FILE]: base }) }, { use: [rule] })
}

describe('POLICY_NEW_FIELD_OPTIONAL', () => {
  it('flags a new singular scalar without optional, on its name', () => {
    const head = base.replace('int32 age = 2;', 'int32 age = 2;\n  string owner = 3;')
    const result = findings(head, 'POLICY_NEW_FIELD_OPTIONAL')
    expect(result).toHaveLength(1)
    expect(result[0]).toMatchObject({ rule: 'POLICY_NEW_FIELD_OPTIONAL', path: FILE, line: 8, column: 10 })
    expect(result[0]!.message).toContain('declare it `optional string owner = 3;`')
  })

  it('accepts optional, repeated, map, message and oneof members, and fields that already existed', () => {
    const head = base.replace(
      'int32 age = 2;',
      'int32 age = 2;\n  optional string owner = 3;\n  repeated string tags = 5;\n  map<string, string> labels = 6;\n  Pet parent = 7;\n  oneof contact { string email = 11; }'
    )
    expect(findings(head, 'POLICY_NEW_FIELD_OPTIONAL')).toEqual([])
  })

  it('leaves new messages alone (no old clients) and proto2 files', () => {
    expect(findings(base + 'message Toy { string name = 1; }\n', 'POLICY_NEW_FIELD_OPTIONAL')).toEqual([])
    const proto2 = (text: string) => text.replace('proto3', 'proto2').replace(/  (string|int32) /g, '  optional $1 ')
    const result = policyCompare({ head: compiled({ [FILE]: proto2(base).replace('optional int32 age = 2;', 'optional int32 age = 2;\n  optional string owner = 3;') }), base: compiled({ [FILE]: proto2(base) }) }, { use: ['POLICY_NEW_FIELD_OPTIONAL'] })
    expect(result).toEqual([])
  })
})

describe('POLICY_ENUM_VALUE_POSITIVE', () => {
  it('flags a new negative value on its number', () => {
    const result = findings(base.replace('KIND_DOG = 1;', 'KIND_DOG = 1;\n  KIND_CAT = -1;'), 'POLICY_ENUM_VALUE_POSITIVE')
    expect(result).toHaveLength(1)
    expect(result[0]).toMatchObject({ line: 12, column: 14 })
    expect(result[0]!.message).toContain('"KIND_CAT" of enum "Kind" has number -1')
  })

  it('accepts new positive values and existing zero values', () => {
    expect(findings(base.replace('KIND_DOG = 1;', 'KIND_DOG = 1;\n  KIND_CAT = 2;'), 'POLICY_ENUM_VALUE_POSITIVE')).toEqual([])
  })
})

describe('POLICY_RESERVED_REUSE', () => {
  it('flags a field on a number the base reserved, even when head drops the reservation', () => {
    const head = base.replace('reserved 4, 8 to 10;', 'reserved 4;').replace('int32 age = 2;', 'int32 age = 2;\n  optional string owner = 9;')
    const result = findings(head, 'POLICY_RESERVED_REUSE')
    expect(result.map((finding) => [finding.line, finding.column])).toEqual([[8, 27]])
    expect(result[0]!.message).toContain('uses number 9, which the base reserved')
  })

  it('flags a field and an enum value on names the base reserved', () => {
    const head = base
      .replace('reserved "nickname";\n', '')
      .replace('int32 age = 2;', 'int32 age = 2;\n  optional string nickname = 3;')
      .replace('reserved "KIND_FISH";\n', '')
      .replace('KIND_DOG = 1;', 'KIND_DOG = 1;\n  KIND_FISH = 2;')
    expect(findings(head, 'POLICY_RESERVED_REUSE').map((finding) => finding.message)).toEqual([
      'Field "nickname" on message "Pet" uses a name the base reserved; old JSON with that key would be read as this field.',
      'Enum value "KIND_FISH" of enum "Kind" uses a name the base reserved.'
    ])
  })

  it('flags an enum value on a reserved number and accepts fresh numbers', () => {
    expect(findings(base.replace('reserved 5;\n', '').replace('KIND_DOG = 1;', 'KIND_DOG = 1;\n  KIND_CAT = 5;'), 'POLICY_RESERVED_REUSE')).toHaveLength(1)
    expect(findings(base.replace('KIND_DOG = 1;', 'KIND_DOG = 1;\n  KIND_CAT = 6;'), 'POLICY_RESERVED_REUSE')).toEqual([])
  })
})

describe('policy rule registry', () => {
  it('registers four POLICY rules with purposes and selects by ID or category', () => {
    expect(policyRules.map((rule) => rule.id)).toEqual(['POLICY_DEPRECATE_BEFORE_DELETE', 'POLICY_ENUM_VALUE_POSITIVE', 'POLICY_NEW_FIELD_OPTIONAL', 'POLICY_RESERVED_REUSE'])
    for (const rule of policyRules) {
      expect(rule).toMatchObject({ kind: 'policy', categories: ['POLICY'] })
      expect(rule.purpose).toMatch(/^Checks that .+\.$/)
    }
    expect(selectPolicyRules({ use: ['POLICY'], except: ['POLICY_NEW_FIELD_OPTIONAL'] })).toHaveLength(3)
    expect(() => selectPolicyRules({ use: ['POLICY_X'] })).toThrow(PolicyConfigError)
  })
})
