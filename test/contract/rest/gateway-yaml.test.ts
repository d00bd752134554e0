import { describe, expect, it } from 'vitest'
import { restCompareTexts } from '../../../src/contract/rest/compare.js'
import { edited, LIBRARY, moduleWith, positionOf } from './fixture.js'

const YAML_PATH = 'gateway/library_http.yaml'
// GetShelf without its option: the YAML is its only HTTP rule.
const proto = edited(['rpc GetShelf(GetShelfRequest) returns (Shelf) {\n    option (google.api.http) = {get: "/v1/{name=shelves/*}"};\n  }', 'rpc GetShelf(GetShelfRequest) returns (Shelf);'])
const yaml = `type: google.api.Service
config_version: 3
http:
  rules:
    - selector: acme.library.v1.LibraryService.GetShelf
      get: /v1/{name=shelves/*}
      additional_bindings:
        - get: /v1/shelf/{name}
`

function compare(headYaml: string, baseYaml = yaml) {
  return restCompareTexts(moduleWith(proto), moduleWith(proto), { gatewayConfig: { head: { path: YAML_PATH, text: headYaml }, base: { path: YAML_PATH, text: baseYaml } } })
}

describe('gRPC-Gateway http rule YAML', () => {
  it('reads rules by selector: unchanged YAML, no findings', () => {
    const result = compare(yaml)
    expect(result.findings).toEqual([])
    expect(result.problems).toEqual([])
  })

  it('HTTP_SAME_PATH on the path in the YAML file', () => {
    const head = yaml.replace('get: /v1/{name=shelves/*}', 'get: /v1/{name=racks/*}')
    const findings = compare(head).findings
    expect(findings.map((finding) => finding.rule)).toEqual(['HTTP_SAME_PATH'])
    expect(findings[0]).toMatchObject({ path: YAML_PATH, ...positionOf(head, '/v1/{name=racks/*}') })
  })

  it('HTTP_BINDING_NO_DELETE for a removed YAML additional binding, HTTP_RULE_NO_DELETE on the rpc for a removed rule', () => {
    const withoutBinding = yaml.replace('      additional_bindings:\n        - get: /v1/shelf/{name}\n', '')
    expect(compare(withoutBinding).findings.map((finding) => finding.rule)).toEqual(['HTTP_BINDING_NO_DELETE'])
    const withoutRule = 'type: google.api.Service\nconfig_version: 3\n'
    const gone = compare(withoutRule).findings
    expect(gone.map((finding) => finding.rule)).toEqual(['HTTP_RULE_NO_DELETE'])
    expect(gone[0]).toMatchObject({ path: LIBRARY, ...positionOf(proto, 'GetShelf(') })
  })

  it('names a selector that matches no rpc and a YAML syntax error with their positions', () => {
    expect(compare(yaml.replace('LibraryService.GetShelf', 'LibraryService.GetShelves')).problems).toEqual([
      `${YAML_PATH}:5:17: selector "acme.library.v1.LibraryService.GetShelves" names no rpc of the contract`
    ])
    expect(compare('http: [unclosed\n').problems[0]).toMatch(new RegExp(`^${YAML_PATH}:\\d+:\\d+: `))
  })
})
