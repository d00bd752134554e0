import { describe, expect, it } from 'vitest'
import { rulesForVersion } from '../../../src/contract/breaking.js'
import { compile } from '../../../src/contract/proto/index.js'
import { CLASSIFIED_RULES, fieldRenameDetails, formatImpact, impactOf } from '../../../src/contract/rest/impact.js'
import { restRules } from '../../../src/contract/rest/rules.js'
import { breakingCompare } from '../../../src/contract/breaking.js'
import { loadSide } from '../../../src/contract/source/index.js'

describe('impactOf', () => {
  it('classifies every buf v2 breaking rule and every REST rule', () => {
    const ids = [...rulesForVersion('v2').map(({ rule }) => rule.id), ...restRules.map((rule) => rule.id)]
    expect(ids.filter((id) => !CLASSIFIED_RULES.includes(id))).toEqual([])
  })

  it.each([
    ['RPC_NO_DELETE', 'breaking', 'breaking', 'breaking'],
    ['FIELD_NO_DELETE', 'warning', 'breaking', 'breaking'],
    ['FIELD_SAME_JSON_NAME', 'safe', 'safe', 'breaking'],
    ['FILE_SAME_GO_PACKAGE', 'safe', 'breaking', 'safe'],
    ['FIELD_SAME_JSTYPE', 'safe', 'breaking', 'safe'],
    ['ENUM_VALUE_SAME_NAME', 'safe', 'breaking', 'breaking'],
    ['FIELD_SAME_CARDINALITY', 'breaking', 'breaking', 'breaking'],
    ['MESSAGE_SAME_JSON_FORMAT', 'safe', 'safe', 'breaking'],
    ['RESERVED_MESSAGE_NO_DELETE', 'warning', 'safe', 'warning'],
    ['FILE_SAME_PACKAGE', 'breaking', 'breaking', 'warning'],
    ['HTTP_SAME_PATH', 'safe', 'safe', 'breaking'],
    ['HTTP_PATH_VARIABLE_SAME_FIELD', 'safe', 'safe', 'breaking'],
    ['POLICY_RESERVED_REUSE', 'breaking', 'safe', 'breaking']
  ])('%s: wire %s, generated code %s, REST %s', (rule, wire, code, rest) => {
    const impact = impactOf(rule)
    expect([impact.wire, impact.code, impact.rest]).toEqual([wire, code, rest])
    expect(impact.fix.length).toBeGreaterThan(10)
  })

  it('a field rename breaks REST unless json_name keeps the old JSON name, and says how to fix it', () => {
    const unknown = impactOf('FIELD_SAME_NAME')
    expect([unknown.wire, unknown.code, unknown.rest]).toEqual(['safe', 'breaking', 'breaking'])
    expect(unknown.reason).toContain('unless json_name keeps the old JSON name')
    const changed = impactOf('FIELD_SAME_NAME', { jsonNameKept: false, oldJsonName: 'displayName' })
    expect(changed.rest).toBe('breaking')
    expect(changed.fix).toContain('[json_name = "displayName"]')
    const kept = impactOf('FIELD_SAME_NAME', { jsonNameKept: true })
    expect([kept.wire, kept.code, kept.rest]).toEqual(['safe', 'breaking', 'safe'])
  })

  it('a wire-compatible type change is safe on the wire only', () => {
    expect(impactOf('FIELD_SAME_TYPE', { wireCompatible: true })).toMatchObject({ wire: 'safe', code: 'breaking', rest: 'breaking' })
  })

  it('an unknown rule is a warning everywhere, never silently safe', () => {
    expect(impactOf('SOMETHING_NEW')).toMatchObject({ wire: 'warning', code: 'warning', rest: 'warning' })
  })

  it('formats one help line', () => {
    expect(formatImpact(impactOf('HTTP_SAME_PATH'))).toMatch(/^gRPC wire: safe · generated code: safe · REST\/JSON: breaking — .+\. Fix: keep the old binding .+\.$/)
  })
})

describe('fieldRenameDetails on buf FIELD_SAME_NAME findings', () => {
  const base = 'syntax = "proto3";\npackage p.v1;\nmessage Book {\n  string display_name = 1;\n  string title = 2 [json_name = "heading"];\n}\n'
  function renameFindings(head: string) {
    const headSide = loadSide(new Map([['p/v1/book.proto', head]]))
    const baseSide = loadSide(new Map([['p/v1/book.proto', base]]))
    const findings = breakingCompare(headSide.files, baseSide.files).findings.filter((finding) => finding.rule === 'FIELD_SAME_NAME')
    const headAst = compile(new Map([['p/v1/book.proto', head]])).files[0]!
    const baseAst = compile(new Map([['p/v1/book.proto', base]])).files
    return findings.map((finding) => fieldRenameDetails(finding, headAst, baseAst))
  }

  it('a plain rename changes the JSON name', () => {
    expect(renameFindings(base.replace('display_name', 'label'))).toEqual([{ oldJsonName: 'displayName', jsonNameKept: false }])
  })

  it('a rename with json_name set to the old JSON name keeps REST working', () => {
    expect(renameFindings(base.replace('string display_name = 1;', 'string label = 1 [json_name = "displayName"];'))).toEqual([{ oldJsonName: 'displayName', jsonNameKept: true }])
  })

  it('the old JSON name is the base json_name when one was set', () => {
    expect(renameFindings(base.replace('string title = 2 [json_name = "heading"];', 'string headline = 2 [json_name = "heading"];'))).toEqual([{ oldJsonName: 'heading', jsonNameKept: true }])
  })
})
