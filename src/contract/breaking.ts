/**
 * The breaking-change compare: buf's `buf breaking` over two compiled file sets. Rule selection
 * (use/except by rule or category, per config version), ignores (paths, per-rule paths,
 * unstable packages, imports) and the order and de-duplication of findings follow buf 1.75, so
 * the findings equal what `buf breaking --error-format json` prints for the same inputs.
 */

import { breakingRules, Pairs, type BreakingContext, type BreakingRule } from './rules/breaking/index.js'
import type { ProtoFile } from './rules/breaking/model.js'
import type { Finding } from '../report/findings.js'
import type { Span } from './rules/types.js'
import type { BreakingConfig } from './bufconfig/types.js'

export type BufConfigVersion = 'v1beta1' | 'v1' | 'v2'

/** The `breaking` section of buf.yaml as plain data (paths relative to the module root). */
export interface BreakingOptions {
  version?: BufConfigVersion
  /** Rule or category IDs; empty or absent means buf's defaults. */
  use?: readonly string[]
  except?: readonly string[]
  /** Files or directories whose findings are dropped. */
  ignore?: readonly string[]
  /** Rule or category ID → files or directories where that rule's findings are dropped. */
  ignore_only?: Readonly<Record<string, readonly string[]>>
  /** Drop findings in packages whose version is alpha, beta or test (e.g. `foo.v1beta1`). */
  ignore_unstable_packages?: boolean
  /** Drop findings on files that are not part of the module (buf's --exclude-imports). */
  excludeImports?: boolean
  /** No rule runs (an `ignore` entry naming the module itself, or `disable_builtin`). */
  disabled?: boolean
  /** The path a finding prints for a module-relative path (e.g. prefixed with the module directory). */
  displayPath?: (modulePath: string) => string
}

/** The options of a buf.yaml `breaking` section as the bufconfig reader returns it. */
export function breakingOptionsFromConfig(config: BreakingConfig): BreakingOptions {
  return {
    version: config.version,
    use: config.use,
    except: config.except,
    ignore: config.ignore,
    ignore_only: config.ignoreOnly,
    ignore_unstable_packages: config.ignoreUnstablePackages,
    disabled: config.disabled || config.disableBuiltin
  }
}

/** One finding, shaped like a line of `buf breaking --error-format json`. */
export interface BreakingFinding {
  rule: string
  /** As `displayPath` prints it (module-relative by default); absent for findings about the whole input. */
  path?: string
  line: number
  column: number
  endLine: number
  endColumn: number
  message: string
}

export interface BreakingResult {
  findings: BreakingFinding[]
  /** The rules that ran, sorted. */
  rules: string[]
}

/**
 * Compare `head` against `base`. Both are every file buf's image would hold: the module's files
 * and the files they import (well-known types included), each marked with `isImport`.
 */
export function breakingCompare(head: readonly ProtoFile[], base: readonly ProtoFile[], options: BreakingOptions = {}): BreakingResult {
  if (options.disabled) return { findings: [], rules: [] }
  const rules = selectRules(options)
  const displayPath = options.displayPath ?? ((modulePath: string) => modulePath)
  const ignores = compileIgnores(options)
  const pairs = new Pairs(head, base)
  const findings: BreakingFinding[] = []
  for (const rule of rules) {
    const context: BreakingContext = {
      ruleId: rule.id,
      head,
      base,
      pairs,
      keep: (headFile, baseFile) => !ignores.drops(rule.id, headFile) && !ignores.drops(rule.id, baseFile)
    }
    rule.check(context, (span, message) => findings.push(findingAt(rule.id, span, message, displayPath)))
  }
  return { findings: sortAndDeduplicate(findings), rules: rules.map((rule) => rule.id) }
}

/** A reported span as a finding; no span is a finding about the whole input (buf prints it at 1:1 without a path). */
export function findingAt(rule: string, span: Span | undefined, message: string, displayPath: (modulePath: string) => string): BreakingFinding {
  return span
    ? { rule, path: displayPath(span.path), line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, message }
    : { rule, line: 1, column: 1, endLine: 1, endColumn: 1, message }
}

/** Findings as report findings of the contract stage (every breaking, REST, POLICY and lint finding is an error). */
export function toReportFindings(findings: readonly BreakingFinding[]): Finding[] {
  return findings.map((finding) => ({
    rule: finding.rule,
    stage: 'contract',
    severity: 'error',
    message: finding.message,
    ...(finding.path !== undefined
      ? { path: finding.path, line: finding.line, column: finding.column, endLine: finding.endLine, endColumn: finding.endColumn }
      : {})
  }))
}

export class BreakingConfigError extends Error {
  override readonly name = 'BreakingConfigError'
}

// ---------------------------------------------------------------------------------------------
// Rule selection

/** Rules v2 added; v1 and v1beta1 configs do not know them. */
const NOT_IN_V1 = new Set(['EXTENSION_NO_DELETE', 'FIELD_SAME_DEFAULT', 'PACKAGE_EXTENSION_NO_DELETE'])
const NOT_IN_V1BETA1 = new Set([...NOT_IN_V1, 'FIELD_WIRE_COMPATIBLE_TYPE', 'FIELD_WIRE_JSON_COMPATIBLE_TYPE'])

/** v1beta1 categories that differ from v2's beyond the missing CSR category. */
const V1BETA1_CATEGORIES: Record<string, readonly string[]> = {
  FILE_SAME_PACKAGE: ['FILE'],
  FIELD_SAME_CARDINALITY: ['FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'],
  FIELD_SAME_TYPE: ['FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE']
}

/** Deprecated IDs a config may still name, and the rules that replaced them. */
const DEPRECATED: Record<BufConfigVersion, Record<string, readonly string[]>> = {
  v2: { MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT: [] },
  v1: {
    MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT: [],
    FIELD_SAME_CTYPE: ['FIELD_SAME_CPP_STRING_TYPE'],
    FIELD_SAME_LABEL: ['FIELD_SAME_CARDINALITY', 'FIELD_WIRE_COMPATIBLE_CARDINALITY', 'FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY'],
    FILE_SAME_JAVA_STRING_CHECK_UTF8: ['FIELD_SAME_JAVA_UTF8_VALIDATION'],
    FILE_SAME_PHP_GENERIC_SERVICES: []
  },
  v1beta1: {
    MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT: [],
    FIELD_SAME_CTYPE: ['FIELD_SAME_CPP_STRING_TYPE'],
    FIELD_SAME_LABEL: ['FIELD_SAME_CARDINALITY', 'FIELD_WIRE_COMPATIBLE_CARDINALITY', 'FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY'],
    FILE_SAME_JAVA_STRING_CHECK_UTF8: ['FIELD_SAME_JAVA_UTF8_VALIDATION'],
    FILE_SAME_PHP_GENERIC_SERVICES: []
  }
}

/** The rules of a config version with that version's categories. */
export function rulesForVersion(version: BufConfigVersion = 'v2'): { rule: BreakingRule; categories: readonly string[] }[] {
  return breakingRules
    .filter((rule) => !rule.deprecated)
    .filter((rule) => version === 'v2' || !(version === 'v1' ? NOT_IN_V1 : NOT_IN_V1BETA1).has(rule.id))
    .map((rule) => ({
      rule,
      categories:
        version === 'v2'
          ? rule.categories
          : version === 'v1beta1' && V1BETA1_CATEGORIES[rule.id]
            ? V1BETA1_CATEGORIES[rule.id]!
            : rule.categories.filter((category) => category !== 'CSR')
    }))
}

function selectRules(options: BreakingOptions): BreakingRule[] {
  const version = options.version ?? 'v2'
  const available = rulesForVersion(version)
  const expand = makeExpander(version, available)
  const use = nonEmpty(options.use)
  const selected = new Set(use.length > 0 ? expand(use) : available.filter((entry) => entry.rule.default).map((entry) => entry.rule.id))
  for (const id of expand(nonEmpty(options.except))) selected.delete(id)
  for (const id of Object.keys(options.ignore_only ?? {})) expand([id])
  return available.map((entry) => entry.rule).filter((rule) => selected.has(rule.id)).sort((a, b) => (a.id < b.id ? -1 : 1))
}

function nonEmpty(ids: readonly string[] | undefined): string[] {
  return (ids ?? []).filter((id) => id !== '')
}

/** Rule and category IDs → rule IDs, deprecated IDs → their replacements; unknown IDs are an error. */
function makeExpander(version: BufConfigVersion, available: ReturnType<typeof rulesForVersion>): (ids: readonly string[]) => string[] {
  const ruleIds = new Set(available.map((entry) => entry.rule.id))
  const byCategory = new Map<string, string[]>()
  for (const { rule, categories } of available) for (const category of categories) byCategory.set(category, [...(byCategory.get(category) ?? []), rule.id])
  return (ids) =>
    ids.flatMap((id) => {
      if (ruleIds.has(id)) return [id]
      const members = byCategory.get(id)
      if (members) return members
      const replacements = DEPRECATED[version][id]
      if (replacements) return [...replacements]
      throw new BreakingConfigError(`${JSON.stringify(id)} is not a known rule or category ID`)
    })
}

// ---------------------------------------------------------------------------------------------
// Ignores

interface Ignores {
  drops(ruleId: string, file: ProtoFile | undefined): boolean
}

function compileIgnores(options: BreakingOptions): Ignores {
  const version = options.version ?? 'v2'
  const expand = makeExpander(version, rulesForVersion(version))
  const everywhere = normalizeIgnorePaths(options.ignore ?? [])
  const perRule = new Map<string, string[]>()
  for (const [id, paths] of Object.entries(options.ignore_only ?? {})) {
    for (const ruleId of expand([id])) perRule.set(ruleId, [...(perRule.get(ruleId) ?? []), ...normalizeIgnorePaths(paths)])
  }
  return {
    drops(ruleId, file) {
      if (!file) return false
      if (options.excludeImports && file.isImport) return true
      if (containsPath(everywhere, file.path)) return true
      const rulePaths = perRule.get(ruleId)
      if (rulePaths && containsPath(rulePaths, file.path)) return true
      return options.ignore_unstable_packages === true && isUnstablePackage(file.package)
    }
  }
}

function normalizeIgnorePaths(paths: readonly string[]): string[] {
  return paths
    .filter((path) => path !== '')
    .map((path) => {
      const normalized = path
        .split('/')
        .filter((part) => part !== '' && part !== '.')
        .join('/')
      if (normalized === '') throw new BreakingConfigError(`cannot specify "." as an ignore path`)
      return normalized
    })
}

/** buf's "equal or containing path": the path itself or any of its parent directories. */
function containsPath(ignored: readonly string[], path: string): boolean {
  return ignored.some((candidate) => path === candidate || path.startsWith(candidate + '/'))
}

/**
 * A package is unstable when its last component (of at least two) is a version like v1alpha1,
 * v2beta, v1p1beta1 or v1test…; plain v1 is stable and a package without a version is neither.
 */
export function isUnstablePackage(pkg: string): boolean {
  const parts = pkg.split('.')
  if (parts.length < 2) return false
  const component = parts[parts.length - 1]!
  if (component.length < 2 || component[0] !== 'v') return false
  const version = component.slice(1)
  if (version.includes('test')) return isNumber(version.slice(0, version.indexOf('test')))
  const alpha = version.includes('alpha')
  const beta = version.includes('beta')
  if (alpha === beta) return false
  const level = alpha ? 'alpha' : 'beta'
  const [head, minor] = [version.slice(0, version.indexOf(level)), version.slice(version.indexOf(level) + level.length)]
  if (minor !== '' && !isNumber(minor)) return false
  if (head.includes('p')) {
    const [major, patch] = [head.slice(0, head.indexOf('p')), head.slice(head.indexOf('p') + 1)]
    return isNumber(major) && isNumber(patch)
  }
  return isNumber(head)
}

/** A decimal number of at least 1 that fits in 32 bits (as Go's ParseInt(s, 10, 32) reads it). */
function isNumber(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false
  const value = Number(text)
  return value >= 1 && value <= 2147483647
}

// ---------------------------------------------------------------------------------------------
// Order

/** buf's order: findings without a path first, then path, line, column, rule, message, end. */
function sortAndDeduplicate(findings: BreakingFinding[]): BreakingFinding[] {
  const seen = new Set<string>()
  const unique = findings.filter((finding) => {
    const key = [finding.path ?? '', finding.line, finding.column, finding.endLine, finding.endColumn, finding.rule, finding.message].join('\u0000')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return unique.sort(
    (a, b) =>
      (a.path === undefined ? (b.path === undefined ? 0 : -1) : b.path === undefined ? 1 : compareText(a.path, b.path)) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.rule, b.rule) ||
      compareText(a.message, b.message) ||
      a.endLine - b.endLine ||
      a.endColumn - b.endColumn
  )
}

/** Byte order of the UTF-8 encodings, which is code point order (Go compares strings that way). */
function compareText(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}
