/**
 * The lint rule registry and buf's rule selection. A rule file carries its v2 categories and
 * default flag; the tables below bind the same rules for v1 and v1beta1 buf.yaml files, whose
 * categories differ (buf binds categories per config version the same way). Selection follows
 * buf 1.75: `use` (or the default rules), category expansion, deprecated IDs replaced, `except`
 * removed; unknown IDs are errors at the line that names them.
 */
import { BufConfigError } from '../bufconfig/errors.js'
import type { BufYamlVersion, CheckConfig, LintConfig } from '../bufconfig/types.js'
import type { LintRule } from './lint/context.js'
import { commentEnum } from './lint/comment_enum.js'
import { commentEnumValue } from './lint/comment_enum_value.js'
import { commentField } from './lint/comment_field.js'
import { commentMessage } from './lint/comment_message.js'
import { commentOneof } from './lint/comment_oneof.js'
import { commentRpc } from './lint/comment_rpc.js'
import { commentService } from './lint/comment_service.js'
import { directorySamePackage } from './lint/directory_same_package.js'
import { enumFirstValueZero } from './lint/enum_first_value_zero.js'
import { enumNoAllowAlias } from './lint/enum_no_allow_alias.js'
import { enumPascalCase } from './lint/enum_pascal_case.js'
import { enumValuePrefix } from './lint/enum_value_prefix.js'
import { enumValueUpperSnakeCase } from './lint/enum_value_upper_snake_case.js'
import { enumZeroValueSuffix } from './lint/enum_zero_value_suffix.js'
import { fieldLowerSnakeCase } from './lint/field_lower_snake_case.js'
import { fieldNoDescriptor } from './lint/field_no_descriptor.js'
import { fieldNotRequired } from './lint/field_not_required.js'
import { fileLowerSnakeCase } from './lint/file_lower_snake_case.js'
import { importNoPublic } from './lint/import_no_public.js'
import { importNoWeak } from './lint/import_no_weak.js'
import { importUsed } from './lint/import_used.js'
import { messagePascalCase } from './lint/message_pascal_case.js'
import { oneofLowerSnakeCase } from './lint/oneof_lower_snake_case.js'
import { packageDefined } from './lint/package_defined.js'
import { packageDirectoryMatch } from './lint/package_directory_match.js'
import { packageLowerSnakeCase } from './lint/package_lower_snake_case.js'
import { packageNoImportCycle } from './lint/package_no_import_cycle.js'
import { packageSameCsharpNamespace } from './lint/package_same_csharp_namespace.js'
import { packageSameDirectory } from './lint/package_same_directory.js'
import { packageSameGoPackage } from './lint/package_same_go_package.js'
import { packageSameJavaMultipleFiles } from './lint/package_same_java_multiple_files.js'
import { packageSameJavaPackage } from './lint/package_same_java_package.js'
import { packageSamePhpNamespace } from './lint/package_same_php_namespace.js'
import { packageSameRubyPackage } from './lint/package_same_ruby_package.js'
import { packageSameSwiftPrefix } from './lint/package_same_swift_prefix.js'
import { packageVersionSuffix } from './lint/package_version_suffix.js'
import { protovalidate } from './lint/protovalidate.js'
import { rpcNoClientStreaming } from './lint/rpc_no_client_streaming.js'
import { rpcNoServerStreaming } from './lint/rpc_no_server_streaming.js'
import { rpcPascalCase } from './lint/rpc_pascal_case.js'
import { rpcRequestResponseUnique } from './lint/rpc_request_response_unique.js'
import { rpcRequestStandardName } from './lint/rpc_request_standard_name.js'
import { rpcResponseStandardName } from './lint/rpc_response_standard_name.js'
import { servicePascalCase } from './lint/service_pascal_case.js'
import { serviceSuffix } from './lint/service_suffix.js'
import { stablePackageNoImportUnstable } from './lint/stable_package_no_import_unstable.js'
import { syntaxSpecified } from './lint/syntax_specified.js'

export const LINT_RULES: readonly LintRule[] = [
  commentEnum,
  commentEnumValue,
  commentField,
  commentMessage,
  commentOneof,
  commentRpc,
  commentService,
  directorySamePackage,
  enumFirstValueZero,
  enumNoAllowAlias,
  enumPascalCase,
  enumValuePrefix,
  enumValueUpperSnakeCase,
  enumZeroValueSuffix,
  fieldLowerSnakeCase,
  fieldNoDescriptor,
  fieldNotRequired,
  fileLowerSnakeCase,
  importNoPublic,
  importNoWeak,
  importUsed,
  messagePascalCase,
  oneofLowerSnakeCase,
  packageDefined,
  packageDirectoryMatch,
  packageLowerSnakeCase,
  packageNoImportCycle,
  packageSameCsharpNamespace,
  packageSameDirectory,
  packageSameGoPackage,
  packageSameJavaMultipleFiles,
  packageSameJavaPackage,
  packageSamePhpNamespace,
  packageSameRubyPackage,
  packageSameSwiftPrefix,
  packageVersionSuffix,
  protovalidate,
  rpcNoClientStreaming,
  rpcNoServerStreaming,
  rpcPascalCase,
  rpcRequestResponseUnique,
  rpcRequestStandardName,
  rpcResponseStandardName,
  servicePascalCase,
  serviceSuffix,
  stablePackageNoImportUnstable,
  syntaxSpecified
]

const LINT_RULES_BY_ID = new Map(LINT_RULES.map((rule) => [rule.id, rule]))

export function lintRule(id: string): LintRule | undefined {
  return LINT_RULES_BY_ID.get(id)
}

/** A rule as one config version sees it, deprecated categories included (buf's full listing). */
export interface RuleBinding {
  id: string
  categories: readonly string[]
  default: boolean
  purpose: string
  deprecated: boolean
  /** IDs that replace a deprecated rule; empty means "selects nothing". */
  replacements: readonly string[]
}

/** Deprecated categories and the category they stand for; listed in a rule next to it. */
const DEPRECATED_CATEGORIES: Readonly<Record<string, string>> = { DEFAULT: 'STANDARD', STYLE_DEFAULT: 'STYLE_STANDARD' }

/** Rules that exist only in v1beta1 configs. */
const V1BETA1_ONLY = new Set(['FIELD_NO_DESCRIPTOR'])

type VersionTable = Readonly<Record<string, readonly [isDefault: boolean, categories: readonly string[]]>>

/** v1 bindings (`buf config ls-lint-rules --version v1`); v1 has no FIELD_NOT_REQUIRED or STABLE_PACKAGE_NO_IMPORT_UNSTABLE. */
const LINT_V1: VersionTable = {
  DIRECTORY_SAME_PACKAGE: [true, ['MINIMAL', 'BASIC', 'STANDARD']],
  PACKAGE_DEFINED: [true, ['MINIMAL', 'BASIC', 'STANDARD']],
  PACKAGE_DIRECTORY_MATCH: [true, ['MINIMAL', 'BASIC', 'STANDARD']],
  PACKAGE_SAME_DIRECTORY: [true, ['MINIMAL', 'BASIC', 'STANDARD']],
  ENUM_FIRST_VALUE_ZERO: [true, ['BASIC', 'STANDARD']],
  ENUM_NO_ALLOW_ALIAS: [true, ['BASIC', 'STANDARD']],
  ENUM_PASCAL_CASE: [true, ['BASIC', 'STANDARD']],
  ENUM_VALUE_UPPER_SNAKE_CASE: [true, ['BASIC', 'STANDARD']],
  FIELD_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD']],
  IMPORT_NO_PUBLIC: [true, ['BASIC', 'STANDARD']],
  IMPORT_USED: [true, ['BASIC', 'STANDARD']],
  MESSAGE_PASCAL_CASE: [true, ['BASIC', 'STANDARD']],
  ONEOF_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_CSHARP_NAMESPACE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_GO_PACKAGE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_JAVA_MULTIPLE_FILES: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_JAVA_PACKAGE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_PHP_NAMESPACE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_RUBY_PACKAGE: [true, ['BASIC', 'STANDARD']],
  PACKAGE_SAME_SWIFT_PREFIX: [true, ['BASIC', 'STANDARD']],
  RPC_PASCAL_CASE: [true, ['BASIC', 'STANDARD']],
  SERVICE_PASCAL_CASE: [true, ['BASIC', 'STANDARD']],
  SYNTAX_SPECIFIED: [true, ['BASIC', 'STANDARD']],
  ENUM_VALUE_PREFIX: [true, ['STANDARD']],
  ENUM_ZERO_VALUE_SUFFIX: [true, ['STANDARD']],
  FILE_LOWER_SNAKE_CASE: [true, ['STANDARD']],
  PACKAGE_VERSION_SUFFIX: [true, ['STANDARD']],
  PROTOVALIDATE: [true, ['STANDARD']],
  RPC_REQUEST_RESPONSE_UNIQUE: [true, ['STANDARD']],
  RPC_REQUEST_STANDARD_NAME: [true, ['STANDARD']],
  RPC_RESPONSE_STANDARD_NAME: [true, ['STANDARD']],
  SERVICE_SUFFIX: [true, ['STANDARD']],
  COMMENT_ENUM: [false, ['COMMENTS']],
  COMMENT_ENUM_VALUE: [false, ['COMMENTS']],
  COMMENT_FIELD: [false, ['COMMENTS']],
  COMMENT_MESSAGE: [false, ['COMMENTS']],
  COMMENT_ONEOF: [false, ['COMMENTS']],
  COMMENT_RPC: [false, ['COMMENTS']],
  COMMENT_SERVICE: [false, ['COMMENTS']],
  RPC_NO_CLIENT_STREAMING: [false, ['UNARY_RPC']],
  RPC_NO_SERVER_STREAMING: [false, ['UNARY_RPC']],
  PACKAGE_NO_IMPORT_CYCLE: [false, []]
}

/** v1beta1 bindings: finer categories, ENUM_FIRST_VALUE_ZERO off by default, FIELD_NO_DESCRIPTOR on. */
const LINT_V1BETA1: VersionTable = {
  DIRECTORY_SAME_PACKAGE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'FILE_LAYOUT']],
  PACKAGE_DIRECTORY_MATCH: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'FILE_LAYOUT']],
  PACKAGE_SAME_DIRECTORY: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'FILE_LAYOUT']],
  PACKAGE_SAME_CSHARP_NAMESPACE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_GO_PACKAGE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_JAVA_MULTIPLE_FILES: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_JAVA_PACKAGE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_PHP_NAMESPACE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_RUBY_PACKAGE: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  PACKAGE_SAME_SWIFT_PREFIX: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'PACKAGE_AFFINITY']],
  ENUM_NO_ALLOW_ALIAS: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'SENSIBLE']],
  FIELD_NO_DESCRIPTOR: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'SENSIBLE']],
  IMPORT_NO_PUBLIC: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'SENSIBLE']],
  PACKAGE_DEFINED: [true, ['MINIMAL', 'BASIC', 'STANDARD', 'SENSIBLE']],
  ENUM_PASCAL_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  ENUM_VALUE_UPPER_SNAKE_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  FIELD_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  MESSAGE_PASCAL_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  ONEOF_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  PACKAGE_LOWER_SNAKE_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  RPC_PASCAL_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  SERVICE_PASCAL_CASE: [true, ['BASIC', 'STANDARD', 'STYLE_BASIC', 'STYLE_STANDARD']],
  ENUM_VALUE_PREFIX: [true, ['STANDARD', 'STYLE_STANDARD']],
  ENUM_ZERO_VALUE_SUFFIX: [true, ['STANDARD', 'STYLE_STANDARD']],
  FILE_LOWER_SNAKE_CASE: [true, ['STANDARD', 'STYLE_STANDARD']],
  PACKAGE_VERSION_SUFFIX: [true, ['STANDARD', 'STYLE_STANDARD']],
  RPC_REQUEST_RESPONSE_UNIQUE: [true, ['STANDARD', 'STYLE_STANDARD']],
  RPC_REQUEST_STANDARD_NAME: [true, ['STANDARD', 'STYLE_STANDARD']],
  RPC_RESPONSE_STANDARD_NAME: [true, ['STANDARD', 'STYLE_STANDARD']],
  SERVICE_SUFFIX: [true, ['STANDARD', 'STYLE_STANDARD']],
  COMMENT_ENUM: [false, ['COMMENTS']],
  COMMENT_ENUM_VALUE: [false, ['COMMENTS']],
  COMMENT_FIELD: [false, ['COMMENTS']],
  COMMENT_MESSAGE: [false, ['COMMENTS']],
  COMMENT_ONEOF: [false, ['COMMENTS']],
  COMMENT_RPC: [false, ['COMMENTS']],
  COMMENT_SERVICE: [false, ['COMMENTS']],
  RPC_NO_CLIENT_STREAMING: [false, ['UNARY_RPC']],
  RPC_NO_SERVER_STREAMING: [false, ['UNARY_RPC']],
  ENUM_FIRST_VALUE_ZERO: [false, ['OTHER']]
}

/** Adds each deprecated category in front of the category that replaced it, as buf lists them. */
function withDeprecatedCategories(categories: readonly string[]): string[] {
  const out: string[] = []
  for (const category of categories) {
    for (const [old, replacement] of Object.entries(DEPRECATED_CATEGORIES)) if (replacement === category) out.push(old)
    out.push(category)
  }
  return out
}

const bindingsCache = new Map<BufYamlVersion, RuleBinding[]>()

/** The lint rules of a buf.yaml version with their categories and default flag there. */
export function lintRuleBindings(version: BufYamlVersion): readonly RuleBinding[] {
  let bindings = bindingsCache.get(version)
  if (bindings) return bindings
  const table = version === 'v1' ? LINT_V1 : version === 'v1beta1' ? LINT_V1BETA1 : undefined
  bindings = []
  for (const rule of LINT_RULES) {
    let isDefault: boolean
    let categories: readonly string[]
    if (rule.deprecated) [isDefault, categories] = [false, []]
    else if (table) {
      const entry = table[rule.id]
      if (!entry) continue
      ;[isDefault, categories] = entry
    } else {
      if (V1BETA1_ONLY.has(rule.id)) continue
      ;[isDefault, categories] = [rule.default, rule.categories]
    }
    bindings.push({
      id: rule.id,
      categories: withDeprecatedCategories(categories),
      default: isDefault,
      purpose: rule.purpose,
      deprecated: rule.deprecated === true,
      replacements: []
    })
  }
  bindingsCache.set(version, bindings)
  return bindings
}

/** One line of `buf config ls-lint-rules --format json`. */
export interface ListedRule {
  id: string
  categories: string[]
  default: boolean
  purpose: string
  plugin: string
  deprecated: boolean
  replacements: string[] | null
}

/** buf's print priority of top-level categories; others sort after them by name. */
const CATEGORY_PRINT_PRIORITY: Readonly<Record<string, number>> = {
  MINIMAL: 1,
  BASIC: 2,
  STANDARD: 3,
  DEFAULT: 4,
  COMMENTS: 5,
  UNARY_RPC: 6,
  OTHER: 7,
  FILE: 1,
  PACKAGE: 2,
  WIRE_JSON: 3,
  WIRE: 4
}

function compareCategoriesForPrint(a: string, b: string): number {
  const pa = CATEGORY_PRINT_PRIORITY[a]
  const pb = CATEGORY_PRINT_PRIORITY[b]
  if (pa !== undefined && pb === undefined) return -1
  if (pa === undefined && pb !== undefined) return 1
  if (pa !== undefined && pb !== undefined && pa !== pb) return pa - pb
  return a < b ? -1 : a > b ? 1 : 0
}

/** buf's listing order: default rules first, then by leading category priority, category list, ID. */
function compareForPrint(a: RuleBinding, b: RuleBinding): number {
  if (a.default !== b.default) return a.default ? -1 : 1
  const ca = [...a.categories].sort(compareCategoriesForPrint)
  const cb = [...b.categories].sort(compareCategoriesForPrint)
  if (ca.length === 0 && cb.length > 0) return 1
  if (ca.length > 0 && cb.length === 0) return -1
  if (ca.length > 0 && cb.length > 0) {
    const first = compareCategoriesForPrint(ca[0]!, cb[0]!)
    if (first !== 0) return first
  }
  const sa = ca.join(', ')
  const sb = cb.join(', ')
  if (sa !== sb) return sa < sb ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The listing `buf config ls-lint-rules --version <v> --format json [--include-deprecated]` prints. */
export function listLintRules(version: BufYamlVersion, includeDeprecated = false): ListedRule[] {
  return listRules(lintRuleBindings(version), includeDeprecated)
}

export function listRules(bindings: readonly RuleBinding[], includeDeprecated: boolean): ListedRule[] {
  return [...bindings]
    .filter((b) => includeDeprecated || !b.deprecated)
    .sort(compareForPrint)
    .map((b) => ({
      id: b.id,
      categories: includeDeprecated ? [...b.categories] : b.categories.filter((c) => !(c in DEPRECATED_CATEGORIES)),
      default: b.default,
      purpose: b.purpose,
      plugin: '',
      deprecated: b.deprecated,
      replacements: b.replacements.length > 0 ? [...b.replacements] : null
    }))
}

/** The outcome of rule selection for one module. */
export interface RuleSelection {
  /** Selected rule IDs, sorted; empty when the config disables the check. */
  ruleIds: string[]
  /** Paths (relative to the module root) where no finding is reported. */
  ignore: string[]
  /** Rule ID → paths where that rule's findings are dropped. */
  ignoreOnly: Map<string, string[]>
  /** buf's deprecation warnings for IDs the config names. */
  warnings: string[]
}

/**
 * buf's selection: `use` (default rules when empty) expanded through categories, deprecated rule
 * IDs replaced, minus `except`. `kind` names the section in messages ("lint", "breaking").
 */
export function selectRules(bindings: readonly RuleBinding[], check: CheckConfig, kind: string, configName = 'buf.yaml'): RuleSelection {
  const selection: RuleSelection = { ruleIds: [], ignore: [], ignoreOnly: new Map(), warnings: [] }
  if (check.disabled || check.disableBuiltin) return selection

  const ruleById = new Map(bindings.map((b) => [b.id, b]))
  const rulesByCategory = new Map<string, string[]>()
  for (const b of bindings) {
    for (const category of b.categories) {
      const ids = rulesByCategory.get(category)
      if (ids) ids.push(b.id)
      else rulesByCategory.set(category, [b.id])
    }
  }
  const expand = (ids: Iterable<string>): Set<string> => {
    const out = new Set<string>()
    for (const id of ids) {
      if (id === '') continue
      const rule = ruleById.get(id)
      const members = rule ? [id] : rulesByCategory.get(id)
      if (!members) {
        throw new BufConfigError(check.idPositions[id] ?? check.at, `"${id}" is not a known ${kind} rule or category ID for a ${check.version} buf.yaml`)
      }
      for (const member of members) {
        const memberRule = ruleById.get(member)!
        // A deprecated rule stands for its replacements (none: it selects nothing).
        if (memberRule.deprecated) for (const replacement of memberRule.replacements) out.add(replacement)
        else out.add(member)
      }
    }
    return out
  }

  const referenced = [...check.use, ...check.except, ...Object.keys(check.ignoreOnly)]
  for (const id of new Set(referenced)) {
    const rule = ruleById.get(id)
    if (rule?.deprecated) {
      const replaced = rule.replacements.length === 0 ? '' : ` It has been replaced by ${rule.replacements.length === 1 ? 'rule' : 'rules'} ${rule.replacements.join(', ')}.`
      selection.warnings.push(`Rule ${id} referenced in your ${configName} is deprecated.${replaced}`)
    } else if (id in DEPRECATED_CATEGORIES && rulesByCategory.has(id)) {
      selection.warnings.push(`Category ${id} referenced in your ${configName} is deprecated. It has been replaced by category ${DEPRECATED_CATEGORIES[id]}.`)
    }
  }

  const use = check.use.length > 0 ? expand(check.use) : new Set(bindings.filter((b) => b.default).map((b) => b.id))
  for (const id of expand(check.except)) use.delete(id)
  for (const [id, paths] of Object.entries(check.ignoreOnly)) {
    for (const ruleId of expand([id])) selection.ignoreOnly.set(ruleId, [...(selection.ignoreOnly.get(ruleId) ?? []), ...paths])
  }
  if (use.size === 0) {
    // buf stops here with an internal error ("resultRules was empty"); say what happened instead.
    throw new BufConfigError(check.at, `no ${kind} rules are left: use [${check.use.join(', ')}] minus except [${check.except.join(', ')}] selects nothing`)
  }
  selection.ruleIds = [...use].sort()
  selection.ignore = [...check.ignore]
  return selection
}

/** The lint rules a module's lint config selects. */
export function selectLintRules(config: LintConfig, configName?: string): RuleSelection {
  return selectRules(lintRuleBindings(config.version), config, 'lint', configName)
}
