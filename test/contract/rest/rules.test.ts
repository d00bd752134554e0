import { describe, expect, it } from 'vitest'
import { restCompareTexts, RestConfigError, selectRestRules } from '../../../src/contract/rest/compare.js'
import { restRules } from '../../../src/contract/rest/rules.js'
import { edited, LIBRARY, libraryText, moduleWith, positionOf } from './fixture.js'

/** Findings of head (an edited library.proto) against the example, as `RULE line:col message`. */
function compare(head: string, base = libraryText) {
  return restCompareTexts(moduleWith(head), moduleWith(base))
}

describe('REST rules over google.api.http', () => {
  it('reports nothing for an unchanged contract', () => {
    const result = compare(libraryText)
    expect(result.findings).toEqual([])
    expect(result.rules).toEqual(restRules.map((rule) => rule.id))
  })

  it('HTTP_SAME_PATH: a changed route, on the path literal in head', () => {
    const head = edited(['get: "/v1/{name=shelves/*}"', 'get: "/v1/{name=racks/*}"'])
    const [finding, ...rest] = compare(head).findings
    expect(rest).toEqual([])
    expect(finding).toMatchObject({ rule: 'HTTP_SAME_PATH', path: LIBRARY, ...positionOf(head, '"/v1/{name=racks/*}"') })
    expect(finding!.endColumn - finding!.column).toBe('"/v1/{name=racks/*}"'.length)
    expect(finding!.message).toBe(
      'HTTP rule of RPC "GetShelf" on service "LibraryService" changed path from "/v1/{name=shelves/*}" to "/v1/{name=racks/*}": URLs of the form "/v1/shelves/*" no longer reach it.'
    )
  })

  it('HTTP_PATH_VARIABLE_SAME_FIELD, not HTTP_SAME_PATH, when only the variable name changes', () => {
    const head = edited(['{name=shelves/*}"}', '{shelf=shelves/*}"}'])
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_PATH_VARIABLE_SAME_FIELD'])
    expect(findings[0]).toMatchObject(positionOf(head, '"/v1/{shelf=shelves/*}"'))
    expect(findings[0]!.message).toContain('URL part "shelves/*" filled field "name", now "shelf"')
  })

  it('HTTP_PATH_VARIABLE_SAME_FIELD when the same URL fills the field with other segments', () => {
    const findings = compare(edited(['"/v1/{name=shelves/*}"', '"/v1/shelves/{name}"'])).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_PATH_VARIABLE_SAME_FIELD'])
    expect(findings[0]!.message).toContain('field "name" received "shelves/*", now "*"')
  })

  it('HTTP_SAME_METHOD: get → post on the method entry', () => {
    const head = edited(['get: "/v1/{name=shelves/*}"', 'post: "/v1/{name=shelves/*}"'])
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_METHOD'])
    expect(findings[0]).toMatchObject(positionOf(head, 'post: "/v1/{name=shelves/*}"'))
    expect(findings[0]!.message).toContain('changed HTTP method from "GET" to "POST"')
  })

  it('HTTP_SAME_METHOD and HTTP_SAME_PATH for a custom method', () => {
    const head = edited(['get: "/v1/{name=shelves/*}"', 'custom: {kind: "HEAD" path: "/v1/{name=shelves/*}:peek"}'])
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_METHOD', 'HTTP_SAME_PATH'])
    expect(findings[1]).toMatchObject(positionOf(head, '"/v1/{name=shelves/*}:peek"'))
  })

  it('HTTP_SAME_BODY on the body literal', () => {
    const head = edited(['body: "book"', 'body: "*"'])
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_BODY'])
    expect(findings[0]).toMatchObject(positionOf(head, '"*"\n      additional'))
    expect(findings[0]!.message).toContain('changed body from "book" to "*"')
  })

  it('HTTP_SAME_RESPONSE_BODY when response_body is added', () => {
    const head = edited(['{get: "/v1/{name=shelves/*}"}', '{get: "/v1/{name=shelves/*}" response_body: "theme"}'])
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_RESPONSE_BODY'])
    expect(findings[0]).toMatchObject(positionOf(head, '"theme"'))
  })

  it('HTTP_BINDING_NO_DELETE when an additional binding is removed; adding one is not a break', () => {
    const without = edited(['\n      additional_bindings {post: "/v1/books" body: "*"}', ''])
    const removed = compare(without).findings
    expect(removed.map((finding) => finding.rule)).toEqual(['HTTP_BINDING_NO_DELETE'])
    expect(removed[0]!.message).toBe('Previously present additional binding 1 (POST /v1/books) of RPC "CreateBook" on service "LibraryService" was deleted.')
    expect(removed[0]).toMatchObject(positionOf(without, '{\n      post: "/v1/{parent=shelves/*}/books"'))
    expect(compare(libraryText, without).findings).toEqual([])
  })

  it('a binding moved between the primary rule and additional_bindings is still served', () => {
    const swapped = edited(
      ['post: "/v1/{parent=shelves/*}/books"\n      body: "book"', 'post: "/v1/books"\n      body: "*"'],
      ['additional_bindings {post: "/v1/books" body: "*"}', 'additional_bindings {post: "/v1/{parent=shelves/*}/books" body: "book"}']
    )
    expect(compare(swapped).findings).toEqual([])
  })

  it('HTTP_RULE_NO_DELETE on the rpc when its rule is removed, on the service when the rpc is', () => {
    const noRule = edited(['rpc DeleteBook(DeleteBookRequest) returns (DeleteBookResponse) {\n    option (google.api.http) = {delete: "/v1/{name=shelves/*/books/*}"};\n  }', 'rpc DeleteBook(DeleteBookRequest) returns (DeleteBookResponse);'])
    const ruleGone = compare(noRule).findings
    expect(ruleGone.map((finding) => finding.rule)).toEqual(['HTTP_RULE_NO_DELETE'])
    expect(ruleGone[0]).toMatchObject(positionOf(noRule, 'DeleteBook('))
    expect(ruleGone[0]!.message).toContain('(DELETE /v1/{name=shelves/*/books/*})')

    const noRpc = edited(['  rpc DeleteBook(DeleteBookRequest) returns (DeleteBookResponse) {\n    option (google.api.http) = {delete: "/v1/{name=shelves/*/books/*}"};\n  }\n', ''])
    const rpcGone = compare(noRpc).findings
    expect(rpcGone.map((finding) => finding.rule)).toEqual(['HTTP_RULE_NO_DELETE'])
    expect(rpcGone[0]).toMatchObject(positionOf(noRpc, 'LibraryService'))
    expect(rpcGone[0]!.message).toContain('of deleted RPC "DeleteBook"')
  })

  it('reads the field-by-field option form like the message literal', () => {
    const fieldByField = edited(['option (google.api.http) = {get: "/v1/{name=shelves/*}"};', 'option (google.api.http).get = "/v1/{name=shelves/*}";'])
    expect(compare(fieldByField).findings).toEqual([])
    const moved = fieldByField.replace('(google.api.http).get = "/v1/{name=shelves/*}"', '(google.api.http).get = "/v2/{name=shelves/*}"')
    expect(compare(moved).findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_PATH'])
  })

  it('reports an unreadable path template as a problem with its position instead of a finding', () => {
    const head = edited(['"/v1/{name=shelves/*}"', '"/v1/{name=shelves/*"'])
    const result = compare(head)
    expect(result.findings).toEqual([])
    const { line, column } = positionOf(head, '"/v1/{name=shelves/*"')
    expect(result.problems).toEqual([`${LIBRARY}:${line}:${column}: invalid path template "/v1/{name=shelves/*" at character 20: expected "}"`])
  })

  it('selects rules by ID or the REST category and rejects unknown IDs', () => {
    expect(selectRestRules({ use: ['REST'], except: ['HTTP_SAME_BODY'] }).map((rule) => rule.id)).not.toContain('HTTP_SAME_BODY')
    expect(selectRestRules({ use: ['HTTP_SAME_PATH'] }).map((rule) => rule.id)).toEqual(['HTTP_SAME_PATH'])
    expect(() => selectRestRules({ use: ['HTTP_NOPE'] })).toThrow(RestConfigError)
    const head = edited(['body: "book"', 'body: "*"'])
    expect(restCompareTexts(moduleWith(head), moduleWith(libraryText), { except: ['HTTP_SAME_BODY'] }).findings).toEqual([])
  })

  it('every REST rule is a registered unit with an ID, the REST category and a purpose', () => {
    for (const rule of restRules) {
      expect(rule.id).toMatch(/^HTTP_[A-Z_]+$/)
      expect(rule.kind).toBe('rest')
      expect(rule.categories).toEqual(['REST'])
      expect(rule.purpose).toMatch(/^Checks that .+\.$/)
    }
    expect(new Set(restRules.map((rule) => rule.id)).size).toBe(7)
  })

  it('refuses a side that does not compile, naming the error', () => {
    expect(() => compare(libraryText.replace('message Shelf {', 'message Shelf {{'))).toThrow(/head contract does not compile: acme\/library\/v1\/library.proto:\d+:\d+/)
  })
})
