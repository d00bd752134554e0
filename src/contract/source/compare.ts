/**
 * Reads both sides, compiles them and runs the breaking compare. With `changed` paths only the
 * files a change can reach are compiled and compared (see scope.ts); the findings are the same
 * as a full compare's. A side compiled before with the same inputs (lint's head) is not compiled
 * again, and the sides compiled in full are returned for later checks of the same trees.
 */

import { compile, WELL_KNOWN_TYPES, type CompileResult, type ProtoError, type ProtoFile as AstFile } from '../proto/index.js'
import { breakingCompare, rulesForVersion, type BreakingFinding, type BreakingOptions, type BreakingResult } from '../breaking.js'
import type { ProtoFile } from '../rules/breaking/model.js'
import { filesFromAst } from './from-ast.js'
import { scanHeader, type FileHeader } from './scan.js'
import { computeScope } from './scope.js'
import { compareBytes, type SourceTree } from './tree.js'

export interface CompareTreesOptions extends BreakingOptions {
  /**
   * Module-relative paths that changed (e.g. from `changedProtoFiles`). When given, only what
   * they can affect is compiled; the findings equal those of a full compare.
   */
  changed?: readonly string[]
  /** The path compile errors of the base print (buf prints the against input's path). */
  baseDisplayPath?: (modulePath: string) => string
  /** The head compiled before (by lint); used only when it had exactly the inputs the head's compile would have. */
  headCompilation?: Compilation
}

/**
 * One compile with its inputs: `result` is `compile` reading `texts` with `targets`. Its result is
 * a function of those two (well-known types come built in), and what runs after compile (lint
 * rules, conversion, the REST and policy checks) only reads the files — linking is part of
 * compile; a LineTable computes its line starts on first use, from its own text — so a later
 * compile of the same inputs can take `result` instead.
 */
export interface Compilation {
  texts: ReadonlyMap<string, string>
  targets: readonly string[]
  result: CompileResult
}

export interface CompileFailure {
  side: 'head' | 'base'
  errors: ProtoError[]
}

export interface CompareTreesResult extends BreakingResult {
  /** Set when a side does not compile; `findings` then holds its errors as COMPILE findings (as buf prints them). */
  compileFailure?: CompileFailure
  /** The compile of each side compiled in full (every module file a target); absent for a side scoped by `changed`. */
  compilations: { head?: Compilation; base?: Compilation }
  stats: {
    /** Module files per side, and how many of them were compiled. */
    headFiles: number
    baseFiles: number
    headCompiled: number
    baseCompiled: number
    readMs: number
    compileMs: number
    compareMs: number
  }
}

export interface LoadedSide {
  /** What buf's image holds: module files and the files they import. */
  files: ProtoFile[]
  errors: ProtoError[]
  moduleFiles: number
  compiled: number
  compilation: Compilation
}

const PACKAGE_RULES = new Set(['PACKAGE_ENUM_NO_DELETE', 'PACKAGE_EXTENSION_NO_DELETE', 'PACKAGE_MESSAGE_NO_DELETE', 'PACKAGE_NO_DELETE', 'PACKAGE_SERVICE_NO_DELETE'])

/**
 * `buf breaking` for two trees: head against base. The trees stay open (the caller closes them).
 * Module files are compared together with the files they import, as buf's images hold them.
 */
export async function compareTrees(head: SourceTree, base: SourceTree, options: CompareTreesOptions = {}): Promise<CompareTreesResult> {
  const started = performance.now()
  const [headTexts, baseTexts] = options.changed !== undefined ? await readChanged(head, base, options.changed) : await Promise.all([readAll(head), readAll(base)])
  const readMs = performance.now() - started

  let headTargets: Set<string> | undefined
  let baseTargets: Set<string> | undefined
  if (options.changed !== undefined) {
    // A file on one side only has changed whether or not the list says so.
    const changed = new Set(options.changed)
    for (const path of headTexts.keys()) if (!baseTexts.has(path)) changed.add(path)
    for (const path of baseTexts.keys()) if (!headTexts.has(path)) changed.add(path)
    const headHeaders = headers(headTexts)
    const scope = computeScope({
      changed: [...changed],
      head: headHeaders,
      base: headers(baseTexts, (path, text) => (headTexts.get(path) === text ? headHeaders.get(path) : undefined)),
      packages: usesPackageRules(options),
      externalHeader: (path) => {
        const text = WELL_KNOWN_TYPES.get(path)
        return text === undefined ? undefined : scanHeader(text)
      }
    })
    headTargets = new Set([...scope.head, ...scope.headImports])
    baseTargets = new Set([...scope.base, ...scope.baseImports])
  }

  const compileStarted = performance.now()
  const headSide = loadSide(headTexts, headTargets, options.headCompilation)
  const baseSide = loadSide(baseTexts, baseTargets)
  const compileMs = performance.now() - compileStarted
  const compilations = { ...(headTargets ? {} : { head: headSide.compilation }), ...(baseTargets ? {} : { base: baseSide.compilation }) }
  const stats = {
    headFiles: headSide.moduleFiles,
    baseFiles: baseSide.moduleFiles,
    headCompiled: headSide.compiled,
    baseCompiled: baseSide.compiled,
    readMs,
    compileMs,
    compareMs: 0
  }
  // Like buf: the head's errors if it fails, else the base's.
  for (const [side, loaded, display] of [
    ['head', headSide, options.displayPath],
    ['base', baseSide, options.baseDisplayPath]
  ] as const) {
    if (loaded.errors.length > 0) return { findings: compileFindings(loaded.errors, display), rules: [], compileFailure: { side, errors: loaded.errors }, compilations, stats }
  }
  const compareStarted = performance.now()
  const result = breakingCompare(headSide.files, baseSide.files, options)
  stats.compareMs = performance.now() - compareStarted
  return { ...result, compilations, stats }
}

/** Every module file's text, by module-relative path. */
export async function readAll(tree: SourceTree): Promise<Map<string, string>> {
  const paths = await tree.list()
  const texts = await Promise.all(paths.map((path) => tree.read(path)))
  const map = new Map<string, string>()
  paths.forEach((path, i) => {
    const text = texts[i]
    if (text !== undefined) map.set(path, text)
  })
  return map
}

/**
 * Both sides when only `changed` differ: every head file (all headers are needed to see what a
 * change reaches), but from the base only the changed files. An unchanged file is the same on
 * both sides, so its head text stands in for the base's.
 */
async function readChanged(head: SourceTree, base: SourceTree, changed: readonly string[]): Promise<[Map<string, string>, Map<string, string>]> {
  const [headTexts, basePaths] = await Promise.all([readAll(head), base.list()])
  const changedPaths = new Set(changed)
  const baseTexts = new Map<string, string>()
  const fromBase = basePaths.filter((path) => changedPaths.has(path) || !headTexts.has(path))
  const texts = await Promise.all(fromBase.map((path) => base.read(path)))
  fromBase.forEach((path, i) => {
    const text = texts[i]
    if (text !== undefined) baseTexts.set(path, text)
  })
  for (const path of basePaths) if (!baseTexts.has(path) && !changedPaths.has(path)) baseTexts.set(path, headTexts.get(path)!)
  return [headTexts, new Map([...baseTexts].sort(([a], [b]) => compareBytes(a, b)))]
}

/**
 * Compile module files (all, or `targets` and what they import) and convert what buf's image
 * would hold: the compiled module files plus every non-module file they import, transitively.
 * `previous` stands in for the compile when it had the same inputs.
 */
export function loadSide(texts: ReadonlyMap<string, string>, targets?: ReadonlySet<string>, previous?: Compilation): LoadedSide {
  const wanted = targets ? [...targets] : [...texts.keys()]
  const compileTargets = wanted.filter((path) => texts.has(path) || WELL_KNOWN_TYPES.has(path))
  const result = reusableCompile(previous, texts, compileTargets) ?? compile({ read: (path) => texts.get(path) }, { targets: compileTargets })
  const included = new Set<AstFile>()
  const visit = (file: AstFile | undefined): void => {
    if (!file || included.has(file)) return
    included.add(file)
    for (const imp of file.imports) if (!texts.has(imp.path)) visit(result.byPath.get(imp.path))
  }
  for (const path of wanted) visit(result.byPath.get(path))
  // Convert everything compiled (enum fields need their enums), compare only the image's files.
  const all = [...result.byPath.values()]
  const converted = filesFromAst(all, (path) => !texts.has(path))
  const files = converted.filter((_, i) => included.has(all[i]!))
  return { files, errors: result.errors, moduleFiles: texts.size, compiled: result.byPath.size, compilation: { texts, targets: compileTargets, result } }
}

/**
 * `previous.result` when `previous` compiled exactly what `compile` reading `texts` with `targets`
 * would: the same path → text entries and the same targets in the same order (the order decides
 * the order of the result's files and of `byPath`). Undefined when anything differs.
 */
export function reusableCompile(previous: Compilation | undefined, texts: ReadonlyMap<string, string>, targets: readonly string[]): CompileResult | undefined {
  if (!previous || previous.texts.size !== texts.size || previous.targets.length !== targets.length) return undefined
  for (let i = 0; i < targets.length; i++) if (previous.targets[i] !== targets[i]) return undefined
  for (const [path, text] of texts) if (previous.texts.get(path) !== text) return undefined
  return previous.result
}

/** Every file's header; `known` may supply one already scanned for the same text. */
function headers(texts: ReadonlyMap<string, string>, known?: (path: string, text: string) => FileHeader | undefined): Map<string, FileHeader> {
  const map = new Map<string, FileHeader>()
  for (const [path, text] of texts) map.set(path, known?.(path, text) ?? scanHeader(text))
  return map
}

function usesPackageRules(options: BreakingOptions): boolean {
  // The default rule set has no PACKAGE rules; only `use` can bring them in.
  const ids = new Set(options.use ?? [])
  if (ids.size === 0) return false
  const version = options.version ?? 'v2'
  return rulesForVersion(version).some(
    ({ rule, categories }) => PACKAGE_RULES.has(rule.id) && (ids.has(rule.id) || categories.some((category) => ids.has(category)))
  )
}

/** Compile errors in buf's JSON shape (type COMPILE). */
export function compileFindings(errors: readonly ProtoError[], displayPath: (modulePath: string) => string = (modulePath) => modulePath): (BreakingFinding & { path: string })[] {
  return errors.map((error) => ({
    rule: 'COMPILE',
    path: displayPath(error.file),
    line: error.line,
    column: error.column,
    endLine: error.endLine ?? error.line,
    endColumn: error.endColumn ?? error.column,
    message: error.detail
  }))
}
