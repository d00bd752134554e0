import { describe, expect, it } from 'vitest'
import { toLowerSnakeCase, toPascalCase, toUpperSnakeCase } from '../../../src/contract/rules/lint/naming.js'
import { packageVersion } from '../../../src/contract/rules/lint/package-version.js'

// Expected values are buf 1.75's suggestions seen in the fixtures' findings.
describe('name conversions match buf', () => {
  it.each([
    ['bad_name', 'BadName'],
    ['lowerStart', 'LowerStart'],
    ['With_Underscore', 'WithUnderscore'],
    ['HTTPStatus', 'HTTPStatus'],
    ['delete_thing', 'DeleteThing'],
    ['a-b.c d', 'ABCD'],
    ['  padded ', 'Padded']
  ])('toPascalCase(%j) = %j', (input, expected) => expect(toPascalCase(input)).toBe(expected))

  it.each([
    ['HTTPServer', 'http_server'],
    ['v1Beta2', 'v1_beta2'],
    ['foo__bar', 'foo_bar'],
    ['_lead', 'lead'],
    ['badName', 'bad_name'],
    ['Bad_Name', 'bad_name'],
    ['address2line', 'address2line'],
    ['nestedExt2', 'nested_ext2'],
    ['Descriptor_', 'descriptor'],
    ['bad-name', 'bad_name'],
    ['bad.name', 'bad_name'],
    ['camelCase', 'camel_case']
  ])('toLowerSnakeCase(%j) = %j', (input, expected) => expect(toLowerSnakeCase(input)).toBe(expected))

  it.each([
    ['HTTPStatus', 'HTTP_STATUS'],
    ['ABTest', 'AB_TEST'],
    ['V1Thing', 'V1_THING'],
    ['ECamelCase', 'E_CAMEL_CASE'],
    ['E__DOUBLE', 'E_DOUBLE'],
    ['E_HTTP2X', 'E_HTTP2X'],
    ['_E_LEAD', 'E_LEAD'],
    ['e_lower', 'E_LOWER']
  ])('toUpperSnakeCase(%j) = %j', (input, expected) => expect(toUpperSnakeCase(input)).toBe(expected))
})

describe('package versions as buf parses them', () => {
  it.each(['foo.v1', 'foo.v1beta1', 'foo.v1alpha', 'foo.v1p1beta1', 'foo.v2test', 'foo.v2testfoo', 'foo.v01', 'foo.v1test', 'foo.v2p1alpha2'])(
    '%s has a version',
    (pkg) => expect(packageVersion(pkg)).toBeDefined()
  )
  it.each(['foo', 'v1', 'foo.bar', 'foo.V1', 'foo.v0', 'foo.v1beta0', 'foo.v1alphabeta1', 'foo.v1p0beta1', 'foo.vbeta', 'foo.v99999999999', 'foo.v'])(
    '%s has none',
    (pkg) => expect(packageVersion(pkg)).toBeUndefined()
  )
  it('classifies stability', () => {
    expect(packageVersion('a.v3')).toEqual({ major: 3, stability: 'stable' })
    expect(packageVersion('a.v2beta1')).toEqual({ major: 2, stability: 'beta' })
    expect(packageVersion('a.v1p2alpha')).toEqual({ major: 1, stability: 'alpha' })
    expect(packageVersion('a.v4test')).toEqual({ major: 4, stability: 'test' })
  })
})
