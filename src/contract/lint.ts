/**
 * The lint entry: buf.yaml's lint config + compiled files → findings with buf's rule IDs,
 * locations, messages and order. Rule selection, `ignore`/`ignore_only` paths and
 * `buf:lint:ignore` comments are applied here, once, for every rule.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { anyEqualsOrContains } from './bufconfig/paths.js'
import type { LintConfig } from './bufconfig/types.js'
import { listModuleFiles, loadBufWorkspace, type LoadOptions, type ModuleFile } from './bufconfig/workspace.js'
import type { ProtoFile } from './proto/ast.js'
import type { Finding } from '../report/findings.js'
import { toReportFindings } from './breaking.js'
import { compile } from './proto/compile.js'
import { compileFindings, type Compilation } from './source/compare.js'
import type { LintContext } from './rules/lint/context.js'
import { lintRule, selectLintRules } from './rules/registry.js'
import { RuleNotImplementedError, type CommentScope, type Span } from './rules/types.js'

export interface LintFinding {
  rule: string
  /** The path buf prints: relative to the workspace root. */
  path: string
  line: number
  column: number
  endLine: number
  endColumn: number
  message: string
}

export interface RuleNotRun {
  rule: string
  reason: string
  /** Where the first input the rule could not judge is (workspace-relative path). */
  span?: Span
}

export interface LintModuleResult {
  /** Deduplicated and sorted like buf: path, line, column, rule, message, end line, end column. */
  findings: LintFinding[]
  /** Selected rules that could not judge this module; never counted as passing. */
  notRun: RuleNotRun[]
  /** The rule IDs that ran. */
  rules: string[]
  /** Deprecation warnings about IDs the config names. */
  warnings: string[]
}

export interface LintModuleInput {
  /** The module's own files, linked, with imports reachable through `ImportDecl.file`. */
  files: readonly ProtoFile[]
  config: LintConfig
  /** The path findings print for a file's import path (default: unchanged). */
  displayPath?: (importPath: string) => string
  /** The config file named in deprecation warnings (default "buf.yaml"). */
  configName?: string
}

const COMMENT_IGNORE_PREFIX = 'buf:lint:ignore'

export function lintModule(input: LintModuleInput): LintModuleResult {
  const { config } = input
  const selection = selectLintRules(config, input.configName)
  const displayPath = input.displayPath ?? ((p: string) => p)
  const context: LintContext = {
    files: [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    options: {
      enumZeroValueSuffix: config.enumZeroValueSuffix,
      serviceSuffix: config.serviceSuffix,
      rpcAllowSameRequestResponse: config.rpcAllowSameRequestResponse,
      rpcAllowGoogleProtobufEmptyRequests: config.rpcAllowGoogleProtobufEmptyRequests,
      rpcAllowGoogleProtobufEmptyResponses: config.rpcAllowGoogleProtobufEmptyResponses
    }
  }
  const findings: LintFinding[] = []
  const notRun: RuleNotRun[] = []
  for (const ruleId of selection.ruleIds) {
    const rule = lintRule(ruleId)
    if (!rule) throw new Error(`lint rule ${ruleId} is selectable but not registered`)
    const ignoredHere = selection.ignoreOnly.get(ruleId) ?? []
    const report = (span: Span | undefined, message: string, scope?: readonly CommentScope[]) => {
      if (!span) throw new Error(`lint rule ${ruleId} reported a finding without a location`)
      if (anyEqualsOrContains(selection.ignore, span.path) || anyEqualsOrContains(ignoredHere, span.path)) return
      if (config.allowCommentIgnores && scope && ignoredByComment(scope, ruleId)) return
      findings.push({ rule: ruleId, ...span, path: displayPath(span.path), message })
    }
    try {
      rule.check(context, report)
    } catch (err) {
      if (!(err instanceof RuleNotImplementedError)) throw err
      notRun.push({ rule: ruleId, reason: err.reason, ...(err.span ? { span: { ...err.span, path: displayPath(err.span.path) } } : {}) })
    }
  }
  return { findings: dedupeAndSort(findings), notRun, rules: selection.ruleIds, warnings: selection.warnings }
}

/** `// buf:lint:ignore RULE_ID` on a line of the leading comment of the element or anything enclosing it. */
function ignoredByComment(scope: readonly CommentScope[], ruleId: string): boolean {
  const directive = `${COMMENT_IGNORE_PREFIX} ${ruleId}`
  for (const element of scope) {
    const leading = element.comments.leading
    if (!leading || !leading.includes(directive)) continue
    for (const line of leading.split('\n')) if (line.trim().startsWith(directive)) return true
  }
  return false
}

export function compareLintFindings(a: LintFinding, b: LintFinding): number {
  return (
    cmp(a.path, b.path) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.message, b.message) || a.endLine - b.endLine || a.endColumn - b.endColumn
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function dedupeAndSort(findings: LintFinding[]): LintFinding[] {
  const seen = new Set<string>()
  const unique = findings.filter((f) => {
    const key = `${f.path}\0${f.line}\0${f.column}\0${f.endLine}\0${f.endColumn}\0${f.rule}\0${f.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return unique.sort(compareLintFindings)
}

export interface WorkspaceLintResult {
  /** Lint findings of every module, or only `COMPILE` findings when the workspace does not compile (as buf). */
  findings: LintFinding[]
  compiled: boolean
  modules: { dirPath: string; rules: string[]; notRun: RuleNotRun[]; warnings: string[] }[]
  /** buf.yaml entries release-gate does not run (check plugins, policies), one message each. */
  unsupported: string[]
  /** The compile lint ran, for checks of the same head that would compile it again. */
  compilation: Compilation
}

/**
 * `buf lint <dir>`: loads buf.yaml / buf.work.yaml (or buf's defaults), compiles every module's
 * files together (imports resolve across modules, well-known types built in) and lints each
 * module with its own config. Paths are relative to `dir`.
 */
export async function lintWorkspace(dir: string, options: LoadOptions = {}): Promise<WorkspaceLintResult> {
  const workspace = await loadBufWorkspace(dir, options)
  const moduleFiles = await Promise.all(workspace.modules.map((m) => listModuleFiles(workspace.root, m)))
  const byImportPath = new Map<string, ModuleFile>()
  for (const files of moduleFiles) for (const f of files) if (!byImportPath.has(f.path)) byImportPath.set(f.path, f)
  const texts = new Map<string, string>()
  // Read in a loop: cheaper than thousands of concurrent promises for small files (see source/tree.ts).
  for (const f of byImportPath.values()) texts.set(f.path, readFileSync(path.join(workspace.root, f.workspacePath), 'utf8'))
  const displayPath = (importPath: string) => byImportPath.get(importPath)?.workspacePath ?? importPath
  const unsupported = [...workspace.plugins, ...workspace.policies].map(
    (p) => `${p.at.file}:${p.at.line}:${p.at.column}: ${p.plugin}: buf check plugins and policies are not run by release-gate`
  )
  if (workspace.deps.length > 0) {
    unsupported.push(`${workspace.configFile}: deps (${workspace.deps.join(', ')}) are not downloaded by release-gate; imports from them cannot be resolved`)
  }

  const targets = [...texts.keys()].sort()
  const compiled = compile(texts, { targets })
  const compilation = { texts, targets, result: compiled }
  if (compiled.errors.length > 0) {
    return { findings: dedupeAndSort(compileFindings(compiled.errors, displayPath)), compiled: false, modules: [], unsupported, compilation }
  }

  const findings: LintFinding[] = []
  const modules: WorkspaceLintResult['modules'] = []
  workspace.modules.forEach((module, i) => {
    const files = moduleFiles[i]!.map((f) => compiled.byPath.get(f.path)).filter((f): f is ProtoFile => f !== undefined)
    const result = lintModule({ files, config: module.lint, displayPath, configName: module.configFile ?? 'buf.yaml' })
    findings.push(...result.findings)
    modules.push({ dirPath: module.dirPath, rules: result.rules, notRun: result.notRun, warnings: result.warnings })
  })
  return { findings: dedupeAndSort(findings), compiled: true, modules, unsupported, compilation }
}

/**
 * The result in release-gate's report model: lint and compile findings are errors (buf fails on
 * them); a rule that could not run and a buf.yaml feature that is not run are warnings, so they
 * show up instead of passing silently; buf's deprecation warnings are notices.
 */
export function lintReportFindings(result: WorkspaceLintResult): Finding[] {
  const findings = toReportFindings(result.findings)
  for (const module of result.modules) {
    for (const skipped of module.notRun) {
      const at = skipped.span ? { path: skipped.span.path, line: skipped.span.line, column: skipped.span.column, endLine: skipped.span.endLine, endColumn: skipped.span.endColumn } : {}
      findings.push({ rule: skipped.rule, stage: 'contract', severity: 'warning', message: `${skipped.rule} was not run: ${skipped.reason}`, ...at })
    }
    for (const warning of module.warnings) findings.push({ rule: 'CONFIG', stage: 'contract', severity: 'notice', message: warning })
  }
  for (const message of result.unsupported) findings.push({ rule: 'CONFIG', stage: 'contract', severity: 'warning', message })
  return findings
}
