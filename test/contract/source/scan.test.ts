/** The header scan that scoped compares run over every file: package and imports only. */
import { describe, expect, it } from 'vitest'
import { scanHeader } from '../../../src/contract/source/scan.js'
import { computeScope } from '../../../src/contract/source/scope.js'
import type { FileHeader } from '../../../src/contract/source/scan.js'

describe('scanHeader', () => {
  it('reads package and imports, public ones marked', () => {
    const header = scanHeader(`syntax = "proto3";
// import "commented/out.proto";
/* package fake.pkg; import "block/comment.proto"; */
package acme.pet.v1;
import "google/protobuf/timestamp.proto";
import public "acme/common/v1/common.proto";
import weak 'acme/weak.proto';
message Pet { string url = 1 [(x) = "import \\"not/an/import.proto\\";"]; }
`)
    expect(header).toEqual({
      package: 'acme.pet.v1',
      imports: [
        { path: 'google/protobuf/timestamp.proto', public: false },
        { path: 'acme/common/v1/common.proto', public: true },
        { path: 'acme/weak.proto', public: false }
      ]
    })
  })

  it('ignores statements inside bodies and strings containing comment markers', () => {
    const header = scanHeader(`option go_package = "example.com/x//y";
service S { option (a) = { import: "x.proto" }; }
import "after.proto";`)
    expect(header).toEqual({ package: '', imports: [{ path: 'after.proto', public: false }] })
  })
})

describe('computeScope', () => {
  const file = (pkg: string, ...imports: (string | [string, 'public'])[]): FileHeader => ({
    package: pkg,
    imports: imports.map((imp) => (Array.isArray(imp) ? { path: imp[0], public: true } : { path: imp, public: false }))
  })
  const side = new Map<string, FileHeader>([
    ['a/changed.proto', file('a', 'google/protobuf/duration.proto')],
    ['a/sibling.proto', file('a')],
    ['b/direct.proto', file('b', 'a/changed.proto')],
    ['b/reexport.proto', file('b', ['a/changed.proto', 'public'])],
    ['c/through_public.proto', file('c', 'b/reexport.proto')],
    ['c/indirect.proto', file('c', 'b/direct.proto')],
    ['d/unrelated.proto', file('d', 'google/api/annotations.proto')]
  ])
  const wkt = (path: string): FileHeader | undefined => (path === 'google/protobuf/api.proto' ? file('google.protobuf', 'google/protobuf/type.proto') : undefined)

  it('takes the changed files and the files that can see their types', () => {
    const scope = computeScope({ changed: ['a/changed.proto'], head: side, base: side, packages: false, externalHeader: wkt })
    expect([...scope.head].sort()).toEqual(['a/changed.proto', 'b/direct.proto', 'b/reexport.proto', 'c/through_public.proto'])
  })

  it('adds whole packages for the PACKAGE rules', () => {
    const scope = computeScope({ changed: ['a/changed.proto'], head: side, base: side, packages: true, externalHeader: wkt })
    expect([...scope.head].sort()).toEqual([
      'a/changed.proto',
      'a/sibling.proto',
      'b/direct.proto',
      'b/reexport.proto',
      'c/indirect.proto',
      'c/through_public.proto'
    ])
  })

  it('keeps a deleted file on the base side only, and follows imports outside the module', () => {
    const head = new Map(side)
    head.delete('a/sibling.proto')
    head.set('e/uses_api.proto', file('e', 'google/protobuf/api.proto'))
    const scope = computeScope({ changed: ['a/sibling.proto', 'e/uses_api.proto'], head, base: side, packages: false, externalHeader: wkt })
    expect([...scope.base].sort()).toEqual(['a/sibling.proto'])
    expect([...scope.head].sort()).toEqual(['e/uses_api.proto'])
    expect([...scope.headImports].sort()).toEqual([
      'google/api/annotations.proto',
      'google/protobuf/api.proto',
      'google/protobuf/duration.proto',
      'google/protobuf/type.proto'
    ])
    expect([...scope.baseImports].sort()).toEqual(['google/api/annotations.proto', 'google/protobuf/duration.proto'])
  })
})
