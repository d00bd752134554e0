import { describe, expect, it } from 'vitest'
import { BufConfigError, parseBufWorkYaml, parseBufYaml } from '../../../src/contract/bufconfig/index.js'

function errorOf(fn: () => unknown): BufConfigError {
  try {
    fn()
  } catch (err) {
    if (err instanceof BufConfigError) return err
    throw err
  }
  throw new Error('expected a BufConfigError')
}

describe('buf.yaml v2', () => {
  it('reads modules, excludes, lint and breaking options', () => {
    const file = parseBufYaml(
      [
        'version: v2',
        'modules:',
        '  - path: proto',
        '    name: buf.build/acme/pets',
        '    excludes: [proto/vendor]',
        '  - path: other',
        '    lint:',
        '      use: [MINIMAL]',
        '      service_suffix: API',
        'deps: [buf.build/googleapis/googleapis]',
        'lint:',
        '  use: [STANDARD, COMMENTS]',
        '  except: [ENUM_VALUE_PREFIX]',
        '  ignore: [proto/legacy, other/skipped]',
        '  ignore_only:',
        '    FIELD_LOWER_SNAKE_CASE: [proto/pets/v1/old.proto]',
        '  enum_zero_value_suffix: _NONE',
        '  rpc_allow_same_request_response: true',
        '  rpc_allow_google_protobuf_empty_requests: true',
        '  rpc_allow_google_protobuf_empty_responses: yes',
        '  disallow_comment_ignores: true',
        'breaking:',
        '  use: [WIRE_JSON]',
        '  ignore_unstable_packages: true',
        ''
      ].join('\n'),
      'buf.yaml'
    )
    expect(file.version).toBe('v2')
    expect(file.deps).toEqual(['buf.build/googleapis/googleapis'])
    const [proto, other] = file.modules
    expect(proto!.dirPath).toBe('proto')
    expect(proto!.name).toBe('buf.build/acme/pets')
    expect(proto!.excludes).toEqual({ '.': ['vendor'] })
    // The shared lint section applies with paths made relative to the module; other modules' paths are dropped.
    expect(proto!.lint).toMatchObject({
      version: 'v2',
      use: ['COMMENTS', 'STANDARD'],
      except: ['ENUM_VALUE_PREFIX'],
      ignore: ['legacy'],
      ignoreOnly: { FIELD_LOWER_SNAKE_CASE: ['pets/v1/old.proto'] },
      enumZeroValueSuffix: '_NONE',
      rpcAllowSameRequestResponse: true,
      rpcAllowGoogleProtobufEmptyRequests: true,
      rpcAllowGoogleProtobufEmptyResponses: true,
      serviceSuffix: 'Service',
      allowCommentIgnores: false
    })
    expect(proto!.breaking).toMatchObject({ use: ['WIRE_JSON'], ignoreUnstablePackages: true })
    // A module's own lint section replaces the shared one entirely.
    expect(other!.lint).toMatchObject({ use: ['MINIMAL'], except: [], ignore: [], serviceSuffix: 'API', enumZeroValueSuffix: '_UNSPECIFIED', allowCommentIgnores: true })
    expect(other!.breaking.use).toEqual(['WIRE_JSON'])
  })

  it('defaults: one module at ".", default rules, comment ignores allowed', () => {
    const file = parseBufYaml('version: v2\n', 'buf.yaml')
    expect(file.modules).toHaveLength(1)
    expect(file.modules[0]).toMatchObject({ dirPath: '.', roots: ['.'], includes: [] })
    expect(file.modules[0]!.lint).toMatchObject({ use: [], disabled: false, allowCommentIgnores: true, enumZeroValueSuffix: '_UNSPECIFIED', serviceSuffix: 'Service' })
  })

  it('an ignore naming the module directory disables the check', () => {
    const file = parseBufYaml('version: v2\nmodules:\n  - path: proto\nlint:\n  ignore: [proto]\n', 'buf.yaml')
    expect(file.modules[0]!.lint.disabled).toBe(true)
    expect(file.modules[0]!.breaking.disabled).toBe(false)
  })

  it('keeps where each rule ID was written, for errors about unknown IDs', () => {
    const file = parseBufYaml('version: v2\nlint:\n  use:\n    - STANDARD\n    - NOPE\n', 'buf.yaml')
    expect(file.modules[0]!.lint.idPositions['NOPE']).toEqual({ file: 'buf.yaml', line: 5, column: 7 })
  })
})

describe('buf.yaml v1 and v1beta1', () => {
  it('v1: build.excludes, allow_comment_ignores defaults to false', () => {
    const file = parseBufYaml('version: v1\nbuild:\n  excludes: [vendor, third_party/x]\nlint:\n  use: [DEFAULT]\n', 'buf.yaml')
    expect(file.modules[0]).toMatchObject({ dirPath: '.', roots: ['.'], excludes: { '.': ['third_party/x', 'vendor'] } })
    expect(file.modules[0]!.lint).toMatchObject({ version: 'v1', use: ['DEFAULT'], allowCommentIgnores: false })
    expect(parseBufYaml('version: v1\nlint:\n  allow_comment_ignores: true\n', 'buf.yaml').modules[0]!.lint.allowCommentIgnores).toBe(true)
  })

  it('v1beta1: build.roots with excludes made relative to their root', () => {
    const file = parseBufYaml('version: v1beta1\nbuild:\n  roots: [proto, vendor]\n  excludes: [proto/internal]\n', 'buf.yaml')
    expect(file.modules[0]).toMatchObject({ roots: ['proto', 'vendor'], excludes: { proto: ['internal'], vendor: [] } })
  })
})

describe('buf.yaml errors name file:line:col and what was expected', () => {
  const cases: [string, string, string][] = [
    ['lint:\n  use: [X]\n', '1:1', '"version" is not set. Please add "version: v2"'],
    ['version: v3\n', '1:10', 'unknown file version: "v3"'],
    ['version: v2\nlint:\n  use: [A]\n  foo: 1\n', '4:3', 'lint: field foo not found'],
    ['version: v2\nlint:\n  use: MESSAGE_PASCAL_CASE\n', '3:8', 'lint.use: expected a list of strings, got the string "MESSAGE_PASCAL_CASE"'],
    ['version: v2\nlint:\n  disallow_comment_ignores: maybe\n', '3:29', 'lint.disallow_comment_ignores: expected a boolean'],
    ['version: v2\nlint:\n  ignore: [../x]\n', '3:12', 'lint.ignore: invalid path: ../x: is outside the context directory'],
    ['version: v2\nlint:\n  ignore: [a, a/b]\n', '3:15', 'ignore "a/b" is within ignore "a" which is not allowed'],
    ['version: v1\nbuild:\n  roots: [proto]\n', '3:3', 'build.roots cannot be set on version v1'],
    ['version: v1\nbuild:\n  excludes: [a/b.proto]\n', '3:14', 'excludes can only be directories but file "a/b.proto" discovered'],
    ['version: v2\nmodules:\n  - path: proto\n    excludes: [other]\n', '4:16', 'exclude path "other" does not reside within module directory "proto"'],
    ['version: v2\nmodules:\n  - path: proto\n    lint:\n      ignore: [other/x]\n', '5:16', 'lint.ignore: path "other/x" is not contained within module directory "proto"'],
    ['version: v2\nname: buf.build/a/b\nmodules:\n  - path: proto\n', '2:1', 'top-level name key cannot be specified if modules are specified'],
    ['version: v2\nlint: [1\n', '3:1', 'invalid YAML'],
    ['version: v2\nlint:\n  use: [A]\n  use: [B]\n', '4:3', 'invalid YAML']
  ]
  for (const [text, position, message] of cases) {
    it(`${JSON.stringify(text)} → ${position} ${message}`, () => {
      const err = errorOf(() => parseBufYaml(text, 'conf/buf.yaml'))
      expect(`${err.line}:${err.column}`).toBe(position)
      expect(err.file).toBe('conf/buf.yaml')
      expect(err.detail).toContain(message)
      expect(err.message.startsWith(`conf/buf.yaml:${position}: `)).toBe(true)
    })
  }
})

describe('buf.work.yaml', () => {
  it('reads and sorts directories', () => {
    expect(parseBufWorkYaml('version: v1\ndirectories:\n  - proto\n  - ./vendor/\n', 'buf.work.yaml').directories).toEqual(['proto', 'vendor'])
  })

  const cases: [string, string, string][] = [
    ['version: v1\ndirectories: []\n', '2:1', 'directories is empty'],
    ['version: v2\ndirectories: [a]\n', '1:10', 'unknown file version: "v2"'],
    ['version: v1\ndirectories: [a, ./a]\n', '2:18', 'directory "./a" is listed more than once'],
    ['version: v1\ndirectories: [a, a/b]\n', '2:18', 'directory "a" contains directory "a/b"'],
    ['version: v1\ndirectories: [.]\n', '2:15', 'directory "." is listed'],
    ['version: v1\ndirectories: [../a]\n', '2:15', 'is outside the context directory']
  ]
  for (const [text, position, message] of cases) {
    it(`${JSON.stringify(text)} → ${position} ${message}`, () => {
      const err = errorOf(() => parseBufWorkYaml(text, 'buf.work.yaml'))
      expect(`${err.line}:${err.column}`).toBe(position)
      expect(err.detail).toContain(message)
    })
  }
})
