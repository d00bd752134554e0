import { describe, expect, it } from 'vitest'
import { compile, type CompileResult, type ProtoFile } from '../../../src/contract/proto/index.js'

/** Compiles the given files (path → text); every path is a target. */
function build(files: Record<string, string>): CompileResult {
  return compile(new Map(Object.entries(files)))
}

function ok(files: Record<string, string>): Map<string, ProtoFile> {
  const r = build(files)
  expect(r.errors.map((e) => e.message)).toEqual([])
  return r.byPath
}

/** "file:line:col-endLine:endCol: detail" of every error. */
function errors(files: Record<string, string>): string[] {
  return build(files).errors.map((e) => `${e.file}:${e.line}:${e.column}-${e.endLine}:${e.endColumn}: ${e.detail}`)
}

const P3 = 'syntax = "proto3";\n'

describe('type resolution: protoc scoping', () => {
  it('searches from the innermost scope outwards', () => {
    const f = ok({
      'a.proto': `${P3}package a.b;
message X {}
message M {
  message X {}
  X inner = 1;
  message N { X from_outer_scope = 1; }
  .a.b.X absolute = 2;
  b.X partly_qualified = 3;
}
`
    }).get('a.proto')!
    const m = f.messages[1]!
    expect(m.fields.map((x) => x.resolvedTypeName)).toEqual(['.a.b.M.X', '.a.b.X', '.a.b.X'])
    expect(m.messages[1]!.fields[0]!.resolvedTypeName).toBe('.a.b.M.X')
  })

  it('stops at the first scope whose first component matches (no fallback outwards)', () => {
    // Inside Outer, `foo` is the nested message, so foo.bar.Baz is looked up only in Outer.foo.
    expect(
      errors({
        'a.proto': `${P3}package foo.bar;
message Baz {}
message Outer {
  message foo {}
  foo.bar.Baz x = 1;
  .foo.bar.Baz y = 2;
}
`
      })
    ).toEqual(['a.proto:6:3-6:14: cannot find `foo.bar.Baz` in this scope'])
  })

  it('passes over complete matches that are not types', () => {
    const f = ok({ 'a.proto': `${P3}package p;\nmessage X {}\nmessage M { string X = 1; X y = 2; }\n` }).get('a.proto')!
    expect(f.messages[1]!.fields[1]!.resolvedTypeName).toBe('.p.X')
  })

  it('resolves enums, map values, extendees and method types to fully qualified names', () => {
    const f = ok({
      'a.proto': `syntax = "proto2";
package p;
enum E { E_ZERO = 0; }
message M {
  optional E e = 1;
  map<string, M> children = 2;
  extensions 100 to 200;
}
extend M { optional E ext = 100; }
service S { rpc Do(M) returns (stream M); }
`
    }).get('a.proto')!
    const m = f.messages[0]!
    expect([m.fields[0]!.type, m.fields[0]!.resolvedTypeName]).toEqual(['enum', '.p.E'])
    expect([m.fields[1]!.type, m.fields[1]!.resolvedTypeName, m.fields[1]!.cardinality]).toEqual(['message', '.p.M.ChildrenEntry', 'repeated'])
    expect(m.fields[1]!.mapEntry!.fields[1]!.resolvedTypeName).toBe('.p.M')
    expect([f.extensions[0]!.resolvedExtendee, f.extensions[0]!.fullName]).toEqual(['.p.M', 'p.ext'])
    const method = f.services[0]!.methods[0]!
    expect([method.resolvedInputType, method.resolvedOutputType, method.serverStreaming]).toEqual(['.p.M', '.p.M', true])
  })

  it('reports an unknown type at the type, as buf does', () => {
    expect(errors({ 'a.proto': `${P3}message Foo {\n  Bar a = 1;\n}\n` })).toEqual(['a.proto:3:3-3:6: cannot find `Bar` in this scope'])
  })
})

describe('imports', () => {
  const dep = `${P3}package dep;\nmessage D {}\n`
  it('sees direct imports and what they re-export publicly, not other transitive imports', () => {
    const files = {
      'deep.proto': `${P3}package deep;\nmessage Deep {}\n`,
      'hidden.proto': `${P3}package hidden;\nmessage H {}\n`,
      'reexport.proto': `${P3}package re;\nimport public "deep.proto";\nimport "hidden.proto";\n`,
      'main.proto': `${P3}package main;\nimport "reexport.proto";\nmessage M { deep.Deep a = 1; hidden.H b = 2; }\n`
    }
    expect(errors(files)).toEqual(['main.proto:4:30-4:38: cannot find `hidden.H` in this scope'])
  })

  it('marks which imports are used; public imports always count as used (as buf)', () => {
    const f = ok({
      'dep.proto': dep,
      'unused.proto': `${P3}package unused;\nmessage U {}\n`,
      'pub.proto': `${P3}package pub;\nmessage P {}\n`,
      'opt.proto': `${P3}package opt;\nimport "google/protobuf/descriptor.proto";\nextend google.protobuf.FieldOptions { string note = 50000; }\n`,
      'main.proto': `${P3}package main;
import "dep.proto";
import "unused.proto";
import public "pub.proto";
import "opt.proto";
import "google/protobuf/timestamp.proto";
service S { rpc Do(dep.D) returns (google.protobuf.Timestamp); }
message M { string s = 1 [(opt.note) = "x"]; }
`
    }).get('main.proto')!
    expect(f.imports.map((i) => [i.path, i.used])).toEqual([
      ['dep.proto', true],
      ['unused.proto', false],
      ['pub.proto', true],
      ['opt.proto', true],
      ['google/protobuf/timestamp.proto', true]
    ])
  })

  it('credits a symbol reached through a public re-export to the import that re-exports it', () => {
    const f = ok({
      'deep.proto': `${P3}package deep;\nmessage Deep {}\n`,
      're.proto': `${P3}package re;\nimport public "deep.proto";\n`,
      'main.proto': `${P3}package main;\nimport "re.proto";\nmessage M { deep.Deep d = 1; }\n`
    }).get('main.proto')!
    expect(f.imports[0]!.used).toBe(true)
  })

  it('reports a missing import at the import statement and cycles at the import that closes them', () => {
    expect(errors({ 'a.proto': `${P3}import "nope.proto";\n` })).toEqual(['a.proto:2:1-2:21: imported file does not exist'])
    expect(errors({ 'a.proto': `${P3}package p;\nimport "b.proto";\n`, 'b.proto': `${P3}package p;\nimport "a.proto";\n` })).toEqual([
      'b.proto:3:1-3:18: detected cyclic import while importing "a.proto"'
    ])
  })

  it('supplies the well-known types', () => {
    const f = ok({
      'a.proto': `${P3}import "google/protobuf/any.proto";\nimport "google/protobuf/struct.proto";\nmessage M { google.protobuf.Any a = 1; google.protobuf.Struct s = 2; }\n`
    })
    const struct = f.get('google/protobuf/struct.proto')!
    expect(struct.messages[0]!.fields[0]!.mapEntry!.fields[1]!.resolvedTypeName).toBe('.google.protobuf.Value')
    const descriptor = f.get('google/protobuf/descriptor.proto')!
    const fieldOptions = descriptor.messages.find((m) => m.name === 'FieldOptions')!
    expect(fieldOptions.fields.find((x) => x.name === 'packed')!.number).toBe(2)
  })
})

describe('options', () => {
  const http = `${P3}package google.api;
import "google/protobuf/descriptor.proto";
message HttpRule {
  string get = 2;
  string post = 4;
  string body = 7;
  repeated HttpRule additional_bindings = 11;
}
extend google.protobuf.MethodOptions { HttpRule http = 72295728; }
`

  it('resolves (google.api.http) to the extension and the literal fields to HttpRule fields', () => {
    const f = ok({
      'google/api/annotations.proto': http,
      'svc.proto': `${P3}package svc;
import "google/api/annotations.proto";
message R {}
service S {
  rpc Get(R) returns (R) {
    option (google.api.http) = { get: "/v1/{name=things/*}" additional_bindings { post: "/v1/x" body: "*" } };
  }
}
`
    }).get('svc.proto')!
    const opt = f.services[0]!.methods[0]!.options[0]!
    expect(opt.fieldPath.map((x) => [x.fullName, x.number])).toEqual([['google.api.http', 72295728]])
    expect(opt.fieldPath[0]!.file.path).toBe('google/api/annotations.proto')
    const v = opt.value
    if (v.kind !== 'message') throw new Error('expected a message literal')
    expect(v.fields.map((e) => e.field?.number)).toEqual([2, 11])
    expect(f.imports[0]!.used).toBe(true)
  })

  it('resolves standard options and feature paths by name', () => {
    const f = ok({ 'a.proto': 'edition = "2023";\noption java_package = "x";\nmessage M { int32 a = 1 [features.field_presence = IMPLICIT, deprecated = true]; }\n' }).get('a.proto')!
    expect(f.options[0]!.fieldPath.map((x) => x.number)).toEqual([1])
    expect(f.messages[0]!.fields[0]!.options.map((o) => o.fieldPath.map((x) => x.number))).toEqual([[21, 1], [3]])
  })

  it('reports bad option names and values where buf does', () => {
    // Positions and wording from buf 1.75 for the same inputs.
    expect(errors({ 'a.proto': `${P3}message M { string s = 1 [(foo) = 1]; }\n` })).toEqual(['a.proto:2:28-2:31: cannot find `foo` in this scope'])
    expect(errors({ 'a.proto': `${P3}message M { string s = 1 [deprecated = 1]; }\n` })).toEqual(['a.proto:2:40-2:41: mismatched types'])
    expect(errors({ 'a.proto': `${P3}message M { string s = 1 [ctype = FOO]; }\n` })).toEqual(['a.proto:2:35-2:38: cannot find `FOO` in this scope'])
    expect(errors({ 'a.proto': `${P3}option java_package = "a";\noption java_package = "b";\n` })).toEqual(['a.proto:3:8-3:20: option `java_package` set multiple times'])
    expect(errors({ 'a.proto': `${P3}message M { string s = 1 [packed = true]; }\n` })).toEqual(['a.proto:2:13-2:19: expected repeated field, found singular field'])
    expect(errors({ 'a.proto': `${P3}message M { option map_entry = true; }\n` })).toEqual(['a.proto:2:20-2:29: `map_entry` cannot be set explicitly'])
    expect(errors({ 'a.proto': `${P3}option features.field_presence = IMPLICIT;\n` })).toEqual(['a.proto:2:8-2:16: `features` cannot be set in "proto3"'])
    expect(errors({ 'a.proto': `${P3}message M { string s = 1 [default = "x"]; }\n` })).toEqual(['a.proto:2:27-2:40: custom default in "proto3"'])
  })

  it('finds the innermost symbol of an option name even when it is not an extension (protoc)', () => {
    const files = {
      'o.proto': `${P3}package o;\nimport "google/protobuf/descriptor.proto";\nextend google.protobuf.FieldOptions { repeated int32 levels = 50001; }\n`,
      'a.proto': `${P3}package o;\nimport "o.proto";\nmessage M { repeated int32 levels = 1 [(levels) = 1, (.o.levels) = 2]; }\n`
    }
    expect(errors(files)).toEqual(['a.proto:4:40-4:48: expected `google.protobuf.FieldOptions` extension, found message field in `o.M`'])
  })

  it('checks option targets of feature fields', () => {
    expect(errors({ 'a.proto': 'edition = "2023";\nmessage M { option features = { field_presence: EXPLICIT }; }\n' })).toEqual([
      'a.proto:2:33-2:47: unsupported option target for `field_presence`'
    ])
  })
})

describe('editions features', () => {
  it('resolves edition defaults and inheritance file → message → oneof/field → enum value', () => {
    const f = ok({
      'a.proto': `edition = "2023";
option features.field_presence = IMPLICIT;
option features.enum_type = CLOSED;
message M {
  option features.json_format = LEGACY_BEST_EFFORT;
  string implicit = 1;
  string explicit = 2 [features.field_presence = EXPLICIT];
  int32 req = 3 [features.field_presence = LEGACY_REQUIRED];
  repeated int32 nums = 4 [features.repeated_field_encoding = EXPANDED];
  M child = 5 [features.message_encoding = DELIMITED];
  enum Inner { option features.enum_type = OPEN; INNER_UNSPECIFIED = 0; }
}
enum Top { TOP_ONE = 1; }
`
    }).get('a.proto')!
    expect(f.features).toMatchObject({ field_presence: 'IMPLICIT', enum_type: 'CLOSED', utf8_validation: 'VERIFY', json_format: 'ALLOW' })
    const m = f.messages[0]!
    expect(m.features?.json_format).toBe('LEGACY_BEST_EFFORT')
    expect(m.fields.map((x) => x.features?.field_presence)).toEqual(['IMPLICIT', 'EXPLICIT', 'LEGACY_REQUIRED', 'IMPLICIT', 'IMPLICIT'])
    expect(m.fields.map((x) => x.cardinality)).toEqual(['optional', 'optional', 'required', 'repeated', 'optional'])
    expect(m.fields[2]!.descriptorLabel).toBe('optional')
    expect(m.fields[3]!.features?.repeated_field_encoding).toBe('EXPANDED')
    expect([m.fields[4]!.type, m.fields[4]!.features?.message_encoding]).toEqual(['message', 'DELIMITED'])
    expect([m.enums[0]!.closed, f.enums[0]!.closed]).toEqual([false, true])
  })

  it('maps proto2/proto3 spellings to features like protoc', () => {
    const f2 = ok({ 'a.proto': 'syntax = "proto2";\nmessage M { required int32 a = 1; optional group G = 2 {} repeated int32 p = 3 [packed = true]; }\nenum E { E_ONE = 1; }\n' }).get('a.proto')!
    const m2 = f2.messages[0]!
    expect(m2.fields.map((x) => x.features?.field_presence)).toEqual(['LEGACY_REQUIRED', 'EXPLICIT', 'EXPLICIT'])
    expect([m2.fields[0]!.cardinality, m2.fields[0]!.descriptorLabel]).toEqual(['required', 'required'])
    expect(m2.fields[1]!.features?.message_encoding).toBe('DELIMITED')
    expect(m2.fields[2]!.features?.repeated_field_encoding).toBe('PACKED')
    expect(f2.enums[0]!.closed).toBe(true)
    const f3 = ok({ 'a.proto': `${P3}message M { optional int32 a = 1; int32 b = 2; repeated int32 c = 3 [packed = false]; }\n` }).get('a.proto')!
    expect(f3.messages[0]!.fields.map((x) => [x.features?.field_presence, x.features?.repeated_field_encoding])).toEqual([
      ['EXPLICIT', 'PACKED'],
      ['IMPLICIT', 'PACKED'],
      ['IMPLICIT', 'EXPANDED']
    ])
  })

  it('rejects closed enums where presence is implicit', () => {
    expect(errors({ 'a.proto': 'syntax = "proto3";\nimport "b.proto";\nmessage M { E e = 1; }\n', 'b.proto': 'syntax = "proto2";\nenum E { A = 1; }\n' })).toEqual([
      'a.proto:3:13-3:14: closed enum `E` cannot be used in a "proto3" message'
    ])
  })
})

describe('semantic errors (positions as buf reports them)', () => {
  const cases: [string, string, string[]][] = [
    ['duplicate field number', `${P3}message Foo {\n  string a = 1;\n  int32 b = 1;\n}\n`, ['a.proto:4:13-4:14: field number `1` used more than once']],
    ['duplicate message, reported at the first', `${P3}message Foo {\n  string a = 1;\n}\nmessage Foo {}\n`, ['a.proto:2:9-2:12: `Foo` declared multiple times']],
    ['enum values share the enclosing scope', `${P3}enum E { A = 0; }\nenum F { A = 0; }\n`, ['a.proto:2:10-2:11: `A` declared multiple times']],
    ['field and nested message with the same name', `${P3}message M { string s = 1; message s {} }\n`, ['a.proto:2:35-2:36: `s` declared multiple times']],
    ['field number 0', `${P3}message Foo { string s = 0; }\n`, ['a.proto:2:26-2:27: field number out of range']],
    ['reserved implementation range', `${P3}message Foo { string s = 19000; }\n`, ['a.proto:2:26-2:31: field number out of range']],
    ['reserved number', `${P3}message Foo { string s = 1; reserved 1; }\n`, ['a.proto:2:26-2:27: use of reserved field number `1`']],
    ['reserved name', `${P3}message M { reserved "s"; string s = 1; }\n`, ['a.proto:2:34-2:35: use of reserved message field name']],
    ['overlapping reserved ranges', `${P3}message M { reserved 1 to 5; reserved 3; }\n`, ['a.proto:2:39-2:40: overlapping field number ranges']],
    ['first open enum value', `${P3}enum E { A = 1; }\n`, ['a.proto:2:14-2:15: first value of open enum must be zero']],
    ['duplicate enum number without allow_alias', `${P3}enum E { A = 0; B = 0; }\n`, ['a.proto:2:21-2:22: enum value `0` used more than once']],
    ['default json names collide', `${P3}message Foo { string foo_bar = 1; string fooBar = 2; }\n`, ['a.proto:2:42-2:48: message fields have the same JSON name']],
    ['explicit json names collide', `${P3}message Foo { string foo = 1 [json_name="x"]; string bar = 2 [json_name = "x"]; }\n`, ['a.proto:2:75-2:78: message fields have the same JSON name']],
    ['map key type', `${P3}message M { map<float, string> m = 1; }\n`, ['a.proto:2:17-2:22: expected map key type, found scalar type `float`']],
    ['empty oneof', `${P3}message M { oneof o { } }\n`, ['a.proto:2:13-2:24: oneof must define at least one member']],
    ['extension outside the ranges', 'syntax = "proto2";\nmessage M { extensions 10 to 20; }\nextend M { optional string s = 30; }\n', ['a.proto:3:32-3:34: extension with unreserved number `30`']],
    ['extension number used twice', 'syntax = "proto2";\nmessage M { extensions 10 to 20; }\nextend M { optional string s = 10; }\nextend M { optional string t = 10; }\n', ['a.proto:4:32-4:34: field number `10` used more than once']],
    ['extension range in proto3', `${P3}package p;\nmessage M { extensions 100 to 200; }\n`, ['a.proto:3:24-3:34: extension range in "proto3"']],
    ['json_name on an extension', 'syntax = "proto2";\nmessage M { extensions 10 to 20; }\nextend M { optional string s = 10 [json_name = "x"]; }\n', ['a.proto:3:36-3:51: message extension cannot specify `json_name`']]
  ]
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(errors({ 'a.proto': text })).toEqual(expected)
    })
  }

  it('accepts JSON names that differ only in case (proto3) and any JSON names in proto2', () => {
    ok({ 'a.proto': `${P3}message Foo { string a = 1; string A = 2; }\n` })
    ok({ 'a.proto': 'syntax = "proto2";\nmessage Foo { optional string foo_bar = 1; optional string fooBar = 2; }\n' })
  })
})
