/**
 * buf.yaml (v1beta1, v1, v2) → module configs, with buf 1.75's defaults and validations.
 * Paths are validated the way buf validates them; every error names file:line:col.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml'
import { BufConfigError, type ConfigPosition } from './errors.js'
import { cleanPath, equalsOrContains, normalizeRelativePath, relativeTo, strictlyContains } from './paths.js'
import {
  BUF_YAML_VERSIONS,
  type BreakingConfig,
  type BufYamlFile,
  type BufYamlVersion,
  type CheckConfig,
  type LintConfig,
  type ModuleConfig,
  type PluginReference
} from './types.js'
import { YamlSource, type Field, type Located } from './yaml-reader.js'

const DEFAULT_ENUM_ZERO_VALUE_SUFFIX = '_UNSPECIFIED'
const DEFAULT_SERVICE_SUFFIX = 'Service'

const TOP_V1 = ['version', 'name', 'deps', 'build', 'lint', 'breaking'] as const
const TOP_V2 = ['version', 'name', 'modules', 'deps', 'lint', 'breaking', 'plugins', 'policies'] as const
const BUILD_V1 = ['roots', 'excludes'] as const
const MODULE_V2 = ['path', 'name', 'includes', 'excludes', 'lint', 'breaking'] as const
const CHECK_KEYS = ['use', 'except', 'ignore', 'ignore_only', 'disable_builtin'] as const
const LINT_OPTION_KEYS = [
  'enum_zero_value_suffix',
  'rpc_allow_same_request_response',
  'rpc_allow_google_protobuf_empty_requests',
  'rpc_allow_google_protobuf_empty_responses',
  'service_suffix'
] as const
const LINT_V1 = [...CHECK_KEYS, ...LINT_OPTION_KEYS, 'allow_comment_ignores'] as const
const LINT_V2 = [...CHECK_KEYS, ...LINT_OPTION_KEYS, 'disallow_comment_ignores'] as const
const BREAKING = [...CHECK_KEYS, 'ignore_unstable_packages'] as const
const PLUGIN_V2 = ['plugin', 'options'] as const
const POLICY_V2 = ['policy', 'ignore', 'ignore_only'] as const

/** Parses buf.yaml text; `file` is the path errors name. */
export function parseBufYaml(text: string, file: string): BufYamlFile {
  const src = new YamlSource(text, file)
  const version = readVersion(src, 'v2', BUF_YAML_VERSIONS)
  return version === 'v2' ? parseV2(src) : parseV1(src, version)
}

/** The module config buf uses for a directory without buf.yaml: v1 defaults (measured with buf 1.75). */
export function defaultModuleConfig(dirPath: string, file: string): ModuleConfig {
  const at = { file, line: 1, column: 1 }
  return {
    dirPath,
    roots: ['.'],
    excludes: { '.': [] },
    includes: [],
    lint: lintConfigFrom(emptyCheck('v1', at), new Map(), null, 'v1'),
    breaking: { ...emptyCheck('v1', at), ignoreUnstablePackages: false }
  }
}

/** Reads `version` before anything else, as buf does, so the rest is checked against the right schema. */
export function readVersion<V extends string>(src: YamlSource, suggested: string, allowed: readonly V[]): V {
  const root = src.root
  let versionNode: Node | null = null
  if (root !== null && !(isScalar(root) && root.value === null)) {
    if (!isMap(root)) src.fail(root, 'expected a mapping at the top level')
    const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'version')
    versionNode = (pair?.value as Node | null | undefined) ?? null
  }
  const version = versionNode ? src.string({ key: versionNode, value: versionNode }, 'version') : ''
  if (version === '') {
    throw new BufConfigError({ file: src.file, line: 1, column: 1 }, `"version" is not set. Please add "version: ${suggested}"`)
  }
  if (!(allowed as readonly string[]).includes(version)) {
    src.fail(versionNode, `unknown file version: "${version}" (expected one of ${allowed.join(', ')})`)
  }
  return version as V
}

function parseV1(src: YamlSource, version: 'v1beta1' | 'v1'): BufYamlFile {
  const top = src.fields(src.root, 'buf.yaml', TOP_V1)
  const build = src.fields(top.get('build')?.value ?? null, 'build', BUILD_V1)
  const roots = src.strings(build.get('roots'), 'build.roots')
  if (version === 'v1' && roots.length > 0) {
    src.fail(build.get('roots')!.key, `build.roots cannot be set on version v1: [${roots.map((r) => r.value).join(' ')}] (roots exist only in v1beta1)`)
  }
  const excludes = src.strings(build.get('excludes'), 'build.excludes')
  const rootToExcludes = rootsToExcludes(src, roots, excludes, build.get('excludes')?.key ?? null)
  const lint = readLint(src, top.get('lint'), version, '.', true)
  const breaking = readBreaking(src, top.get('breaking'), version, '.', true)
  const name = readModuleName(src, top.get('name'))
  const module: ModuleConfig = {
    dirPath: '.',
    ...(name === undefined ? {} : { name }),
    roots: Object.keys(rootToExcludes).sort(),
    excludes: rootToExcludes,
    includes: [],
    lint,
    breaking
  }
  return { file: src.file, version, modules: [module], deps: readDeps(src, top.get('deps')), plugins: [], policies: [] }
}

function parseV2(src: YamlSource): BufYamlFile {
  const top = src.fields(src.root, 'buf.yaml', TOP_V2)
  const moduleNodes = src.list(top.get('modules'), 'modules')
  const topName = readModuleName(src, top.get('name'))
  if (moduleNodes.length > 0 && topName !== undefined) {
    src.fail(
      top.get('name')!.key,
      'top-level name key cannot be specified if modules are specified, you must specify the name on each individual module, the top-level name key is only for the default case where you have one module at path ".".'
    )
  }
  const defaultLint = top.get('lint')
  const defaultBreaking = top.get('breaking')
  const modules: ModuleConfig[] = []
  if (moduleNodes.length === 0) {
    modules.push({
      dirPath: '.',
      ...(topName === undefined ? {} : { name: topName }),
      roots: ['.'],
      excludes: { '.': [] },
      includes: [],
      lint: readLint(src, defaultLint, 'v2', '.', false),
      breaking: readBreaking(src, defaultBreaking, 'v2', '.', false)
    })
  }
  moduleNodes.forEach((node, index) => {
    const where = `modules[${index}]`
    const fields = src.fields(node, where, MODULE_V2)
    const rawPath = src.string(fields.get('path'), `${where}.path`) || '.'
    const dirPath = checkedPath(src, fields.get('path')?.value ?? node, rawPath, 'invalid module path')
    const includes = readIncludes(src, fields.get('includes'), dirPath, where)
    const excludes = readV2Excludes(src, fields.get('excludes'), dirPath, includes, where)
    // A module's own lint/breaking section replaces the top-level one entirely; only then must
    // its paths lie inside the module.
    const ownLint = fields.get('lint')
    const ownBreaking = fields.get('breaking')
    const lintOwn = !isEmptySection(src, ownLint)
    const breakingOwn = !isEmptySection(src, ownBreaking)
    const name = readModuleName(src, fields.get('name'))
    modules.push({
      dirPath,
      ...(name === undefined ? {} : { name }),
      roots: ['.'],
      excludes: { '.': excludes },
      includes: includes.map((include) => relativeTo(dirPath, include.value)),
      lint: readLint(src, lintOwn ? ownLint : defaultLint, 'v2', dirPath, lintOwn),
      breaking: readBreaking(src, breakingOwn ? ownBreaking : defaultBreaking, 'v2', dirPath, breakingOwn)
    })
  })
  return {
    file: src.file,
    version: 'v2',
    modules,
    deps: readDeps(src, top.get('deps')),
    plugins: src.list(top.get('plugins'), 'plugins').map((node, i) => readPluginReference(src, node, `plugins[${i}]`, PLUGIN_V2, 'plugin')),
    policies: src.list(top.get('policies'), 'policies').map((node, i) => readPluginReference(src, node, `policies[${i}]`, POLICY_V2, 'policy'))
  }
}

/** buf treats a section whose every field is the zero value as absent. */
function isEmptySection(src: YamlSource, field: Field | undefined): boolean {
  if (!field || field.value === null) return true
  const node = field.value
  if (!isMap(node)) return isScalar(node) && node.value === null
  return node.items.every((pair) => {
    const value = pair.value as Node | null
    if (value === null) return true
    if (isMap(value) || isSeq(value)) return value.items.length === 0
    return src.isZeroScalar(value)
  })
}

function readLint(src: YamlSource, field: Field | undefined, version: BufYamlVersion, moduleDir: string, pathsMustBeInModule: boolean): LintConfig {
  const keys = version === 'v2' ? LINT_V2 : LINT_V1
  const fields = src.fields(field?.value ?? null, 'lint', keys)
  const check = readCheck(src, fields, 'lint', version, moduleDir, pathsMustBeInModule, positionOf(src, field))
  return lintConfigFrom(check, fields, src, version)
}

function lintConfigFrom(check: CheckConfig, fields: Map<string, Field>, src: YamlSource | null, version: BufYamlVersion): LintConfig {
  const str = (key: string) => (src ? src.string(fields.get(key), `lint.${key}`) : '')
  const bool = (key: string) => (src ? src.bool(fields.get(key), `lint.${key}`) : false)
  return {
    ...check,
    enumZeroValueSuffix: str('enum_zero_value_suffix') || DEFAULT_ENUM_ZERO_VALUE_SUFFIX,
    rpcAllowSameRequestResponse: bool('rpc_allow_same_request_response'),
    rpcAllowGoogleProtobufEmptyRequests: bool('rpc_allow_google_protobuf_empty_requests'),
    rpcAllowGoogleProtobufEmptyResponses: bool('rpc_allow_google_protobuf_empty_responses'),
    serviceSuffix: str('service_suffix') || DEFAULT_SERVICE_SUFFIX,
    allowCommentIgnores: version === 'v2' ? !bool('disallow_comment_ignores') : bool('allow_comment_ignores')
  }
}

function readBreaking(src: YamlSource, field: Field | undefined, version: BufYamlVersion, moduleDir: string, pathsMustBeInModule: boolean): BreakingConfig {
  const fields = src.fields(field?.value ?? null, 'breaking', BREAKING)
  const check = readCheck(src, fields, 'breaking', version, moduleDir, pathsMustBeInModule, positionOf(src, field))
  return { ...check, ignoreUnstablePackages: src.bool(fields.get('ignore_unstable_packages'), 'breaking.ignore_unstable_packages') }
}

function positionOf(src: YamlSource, field: Field | undefined): ConfigPosition {
  return field ? src.at(field.key) : { file: src.file, line: 1, column: 1 }
}

function emptyCheck(version: BufYamlVersion, at: ConfigPosition): CheckConfig {
  return { version, disabled: false, use: [], except: [], ignore: [], ignoreOnly: {}, disableBuiltin: false, idPositions: {}, at }
}

function readCheck(
  src: YamlSource,
  fields: Map<string, Field>,
  section: 'lint' | 'breaking',
  version: BufYamlVersion,
  moduleDir: string,
  pathsMustBeInModule: boolean,
  at: ConfigPosition
): CheckConfig {
  const use = src.strings(fields.get('use'), `${section}.use`)
  const except = src.strings(fields.get('except'), `${section}.except`)
  const ignore = src.strings(fields.get('ignore'), `${section}.ignore`)
  const ignoreOnly = src.stringLists(fields.get('ignore_only'), `${section}.ignore_only`)
  const disableBuiltin = src.bool(fields.get('disable_builtin'), `${section}.disable_builtin`)
  const check = emptyCheck(version, at)
  check.disableBuiltin = disableBuiltin
  for (const id of [...use, ...except]) check.idPositions[id.value] ??= id.at
  for (const [id, entry] of ignoreOnly) check.idPositions[id] ??= entry.at
  // An ignore naming the module directory turns the whole check off (buf's "disabled" config).
  for (const item of ignore) {
    if (checkedPath(src, null, item.value, `${section}.ignore: invalid path`, item.at) === moduleDir) {
      return { ...check, disabled: true }
    }
  }
  check.use = uniqueSorted(use.map((u) => u.value))
  check.except = uniqueSorted(except.map((e) => e.value))
  check.ignore = checkedPathSet(src, relativePathsInModule(src, ignore, `${section}.ignore`, moduleDir, pathsMustBeInModule), 'ignore')
  for (const [id, entry] of ignoreOnly) {
    const rel = relativePathsInModule(src, entry.items, `${section}.ignore_only`, moduleDir, pathsMustBeInModule)
    if (rel.length > 0) check.ignoreOnly[id] = checkedPathSet(src, rel, 'ignore_only path')
  }
  return check
}

/** Paths made relative to the module; outside ones are dropped for a shared section, errors for a module's own. */
function relativePathsInModule(src: YamlSource, items: Located<string>[], what: string, moduleDir: string, mustBeInModule: boolean): Located<string>[] {
  const out: Located<string>[] = []
  for (const item of items) {
    const p = checkedPath(src, null, item.value, `${what}: invalid path`, item.at)
    if (!equalsOrContains(moduleDir, p)) {
      if (!mustBeInModule) continue
      throw new BufConfigError(item.at, `${what}: path "${p}" is not contained within module directory "${moduleDir}"`)
    }
    out.push({ value: relativeTo(moduleDir, p), at: item.at })
  }
  return out
}

/** buf's normalizeAndCheckPaths: unique, sorted, none empty and none inside another. */
function checkedPathSet(src: YamlSource, items: Located<string>[], name: string): string[] {
  const byPath = new Map<string, Located<string>>()
  for (const item of items) {
    if (item.value === '') throw new BufConfigError(item.at, `${name} contained an empty path`)
    const p = checkedPath(src, null, item.value, `invalid ${name}`, item.at)
    if (!byPath.has(p)) byPath.set(p, item)
  }
  const sorted = [...byPath.keys()].sort()
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, b] = [sorted[i]!, sorted[j]!]
      if (equalsOrContains(b, a)) throw new BufConfigError(byPath.get(a)!.at, `${name} "${a}" is within ${name} "${b}" which is not allowed`)
      if (equalsOrContains(a, b)) throw new BufConfigError(byPath.get(b)!.at, `${name} "${b}" is within ${name} "${a}" which is not allowed`)
    }
  }
  return sorted
}

function checkedPath(src: YamlSource, node: Node | null, raw: string, what: string, at?: ConfigPosition): string {
  const result = normalizeRelativePath(raw)
  if ('error' in result) throw new BufConfigError(at ?? src.at(node), `${what}: ${result.error}`)
  return result.path
}

/** v1/v1beta1 `build.roots` + `build.excludes` → root → excludes relative to that root. */
function rootsToExcludes(src: YamlSource, roots: Located<string>[], excludes: Located<string>[], excludesKey: Node | null): Record<string, string[]> {
  const rootPaths = roots.length === 0 ? ['.'] : checkedPathSet(src, roots, 'root')
  const out: Record<string, string[]> = {}
  for (const root of rootPaths) out[root] = []
  if (excludes.length === 0) return out
  const excludePaths = checkedPathSet(src, excludes, 'exclude')
  const atOf = (p: string) => excludes.find((e) => cleanPath(e.value) === p)?.at ?? src.at(excludesKey)
  for (const exclude of excludePaths) {
    if (exclude.endsWith('.proto')) throw new BufConfigError(atOf(exclude), `excludes can only be directories but file "${exclude}" discovered`)
    if (rootPaths.includes(exclude)) {
      throw new BufConfigError(atOf(exclude), `"${exclude}" is both a root and exclude, which means the entire root is excluded, which is not valid`)
    }
    const containing = rootPaths.filter((root) => equalsOrContains(root, exclude))
    if (containing.length === 0) throw new BufConfigError(atOf(exclude), `exclude "${exclude}" is not contained in any root, which is not valid`)
    out[containing[0]!]!.push(relativeTo(containing[0]!, exclude))
  }
  for (const root of rootPaths) out[root]!.sort()
  return out
}

function readIncludes(src: YamlSource, field: Field | undefined, dirPath: string, where: string): Located<string>[] {
  const items = src.strings(field, `${where}.includes`)
  checkedPathSet(src, items, 'include')
  return items.map((item) => {
    const p = checkedPath(src, null, item.value, 'invalid include path', item.at)
    if (p === dirPath) throw new BufConfigError(item.at, `include path "${p}" is equal to module directory "${dirPath}"`)
    if (!equalsOrContains(dirPath, p)) throw new BufConfigError(item.at, `include path "${p}" does not reside within module directory "${dirPath}"`)
    if (p.endsWith('.proto')) throw new BufConfigError(item.at, `includes can only be directories but file "${p}" discovered`)
    return { value: p, at: item.at }
  })
}

function readV2Excludes(src: YamlSource, field: Field | undefined, dirPath: string, includes: Located<string>[], where: string): string[] {
  const items = src.strings(field, `${where}.excludes`)
  const rel = items.map((item) => {
    const p = checkedPath(src, null, item.value, 'invalid exclude path', item.at)
    if (p === dirPath) throw new BufConfigError(item.at, `exclude path "${p}" is equal to module directory "${dirPath}"`)
    if (!equalsOrContains(dirPath, p)) throw new BufConfigError(item.at, `exclude path "${p}" does not reside within module directory "${dirPath}"`)
    if (includes.length > 0) {
      let contained = false
      for (const include of includes) {
        if (include.value === p) throw new BufConfigError(item.at, `"${p}" is both an include path and an exclude path`)
        if (strictlyContains(p, include.value)) throw new BufConfigError(item.at, `"${include.value}" (an include path) is a subdirectory of "${p}" (an exclude path)`)
        if (strictlyContains(include.value, p)) contained = true
      }
      if (!contained) throw new BufConfigError(item.at, `include paths are specified but "${p}" is not contained within any of them`)
    }
    return { value: relativeTo(dirPath, p), at: item.at }
  })
  const excludes = checkedPathSet(src, rel, 'exclude')
  for (const exclude of excludes) {
    const at = rel.find((r) => cleanPath(r.value) === exclude)!.at
    if (exclude.endsWith('.proto')) throw new BufConfigError(at, `excludes can only be directories but file "${exclude}" discovered`)
  }
  return excludes
}

/** BSR module names are `remote/owner/repository`. */
function readModuleName(src: YamlSource, field: Field | undefined): string | undefined {
  const name = src.string(field, 'name')
  if (name === '') return undefined
  if (!isModuleName(name)) {
    src.fail(field?.value ?? null, `name: expected a module name of the form remote/owner/repository, got "${name}"`)
  }
  return name
}

function isModuleName(name: string): boolean {
  const parts = name.split('/')
  return parts.length === 3 && !parts.includes('')
}

function readDeps(src: YamlSource, field: Field | undefined): string[] {
  return src.strings(field, 'deps').map((dep) => {
    if (!isModuleName(dep.value.split(':')[0]!)) {
      throw new BufConfigError(dep.at, `invalid dep: expected remote/owner/repository[:ref], got "${dep.value}"`)
    }
    return dep.value
  })
}

function readPluginReference(src: YamlSource, node: Node, where: string, keys: readonly string[], key: 'plugin' | 'policy'): PluginReference {
  const fields = src.fields(node, where, keys)
  const value = fields.get(key)?.value ?? null
  if (value !== null && 'items' in value && Array.isArray(value.items)) {
    return { plugin: src.strings(fields.get(key), `${where}.${key}`).map((s) => s.value).join(' '), at: src.at(node) }
  }
  return { plugin: src.string(fields.get(key), `${where}.${key}`), at: src.at(node) }
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))].sort()
}
