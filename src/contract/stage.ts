import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Command } from '../commands.js'
import type { ContractConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import type { Finding, RuleInfo } from '../report/findings.js'
import { breakingOptionsFromConfig, BreakingConfigError, toReportFindings } from './breaking.js'
import { loadBufWorkspace, type BufWorkspace } from './bufconfig/workspace.js'
import { BufConfigError } from './bufconfig/errors.js'
import { lintReportFindings, lintWorkspace } from './lint.js'
import { policyRules } from './policy/rules.js'
import { restRules } from './rest/rules.js'
import { breakingRules } from './rules/breaking/index.js'
import { LINT_RULES } from './rules/registry.js'
import { checkContractEvolution, EvolutionInputError, type ProtocolImpactRow } from './policy/evolution.js'
import { readEventLabels } from './policy/gate.js'
import { PolicyConfigError } from './policy/compare.js'
import { RestConfigError } from './rest/compare.js'
import { changedProtoFiles, combinedTree, compareTrees, directoryTree, gitTree, GitSourceError, type Compilation, type SourceTree } from './source/index.js'

type ContractCommand = Extract<Command, { name: 'contract' }>

/** Where the base of a compare comes from: a directory on disk, or a git ref read from objects. */
type Base = { kind: 'dir'; dir: string } | { kind: 'git'; ref: string }

/** Rule metadata for SARIF and the docs, from the registries. */
const CONTRACT_RULES: Record<string, RuleInfo> = Object.fromEntries([
  ...LINT_RULES.map((r) => [r.id, { purpose: r.purpose }]),
  ...breakingRules.map((r) => [r.id, { purpose: r.purpose }]),
  ...restRules.map((r) => [r.id, { purpose: r.purpose }]),
  ...policyRules.map((r) => [r.id, { purpose: r.purpose }]),
  ['COMPILE', { purpose: 'Checks that the .proto files compile.' }]
])

/** Lint, breaking changes against the base, or both — buf's rules, IDs and locations, buf.yaml honoured. */
export async function runContract(command: ContractCommand, ctx: StageContext): Promise<StageOutput> {
  const started = Date.now()
  const { options } = ctx
  const contract = ctx.config?.contract
  // A directory named on the command line is relative to where the user stands; the config's to the config.
  const dir = command.dir !== undefined ? path.resolve(options.cwd, command.dir) : path.resolve(ctx.baseDir, contract?.root ?? '.')
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${shown(dir, options.cwd)}: no such directory of .proto files`)
  const base = resolveBase(command, ctx)
  const lint = command.mode !== 'breaking' && (command.mode === 'lint' || (contract?.lint ?? true))
  const breaking = command.mode !== 'lint' && (command.mode === 'breaking' || (contract?.breaking ?? true))
  if (command.mode === 'breaking' && !base) throw new UsageError('contract breaking needs a base: --against <git-ref|DIR>, or contract.against in the config')

  const findings: Finding[] = []
  const details: string[] = []
  const evidence: Record<string, unknown> = { dir: shown(dir, options.cwd) }
  let headCompilation: Compilation | undefined
  try {
    if (lint) {
      const result = await lintWorkspace(dir)
      headCompilation = result.compilation
      findings.push(...lintReportFindings(result).map((f) => relocate(f, dir, options.cwd)))
      const rules = [...new Set(result.modules.flatMap((m) => m.rules))]
      details.push(`lint: ${result.compiled ? `${rules.length} rule(s) over ${result.modules.length} module(s)` : 'the files do not compile'}, ${result.findings.length} finding(s)`)
      evidence.lint = { rules, findings: result.findings.length }
    }
    if (breaking && base) {
      const workspace = await loadBufWorkspace(dir)
      const result = await compareWithBase(dir, workspace, base, options.cwd, headCompilation, command.mode === 'check' ? { config: contract, env: options.env } : undefined)
      findings.push(...result.findings)
      details.push(...result.evolutionDetails)
      details.push(`breaking: against ${base.kind === 'git' ? `git ${base.ref}` : shown(base.dir, options.cwd)}${result.changed ? ` (${result.changed} changed file(s) and what they reach)` : ''}, ${result.findings.length} finding(s)`)
      if (result.impactTable) evidence.summaryMarkdown = result.impactTable
      evidence.breaking = { against: base.kind === 'git' ? base.ref : shown(base.dir, options.cwd), rules: result.rules, findings: result.findings.length, stats: result.stats }
    } else if (breaking) details.push('breaking: not checked — no base (pass --against, set contract.against, or run on a pull request)')
  } catch (err) {
    if (
      err instanceof BufConfigError ||
      err instanceof BreakingConfigError ||
      err instanceof GitSourceError ||
      err instanceof EvolutionInputError ||
      err instanceof PolicyConfigError ||
      err instanceof RestConfigError
    )
      throw new UsageError(err.message)
    throw err
  }

  // Lint and breaking both report a head that does not compile; say it once.
  const seen = new Set<string>()
  const reported = findings.filter((f) => {
    const key = `${f.rule}\0${f.path}\0${f.line}\0${f.column}\0${f.message}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  const failOn = contract?.failOn ?? 'error'
  const blocking = reported.filter((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'))
  const count = (rule: (f: Finding) => boolean) => reported.filter(rule).length
  const breakingIds = new Set([...breakingRules, ...restRules].map((r) => r.id))
  const policyIds = new Set(policyRules.map((r) => r.id))
  const lintIds = new Set(LINT_RULES.map((r) => r.id))
  const policyFindings = count((f) => policyIds.has(f.rule))
  const compileErrors = count((f) => f.rule === 'COMPILE')
  const approved = count((f) => f.severity === 'notice' && (breakingIds.has(f.rule) || policyIds.has(f.rule)))
  const summary = [
    `${count((f) => breakingIds.has(f.rule) && f.severity === 'error')} breaking change(s)`,
    ...(policyFindings ? [`${count((f) => policyIds.has(f.rule) && f.severity === 'error')} policy finding(s)`] : []),
    `${count((f) => lintIds.has(f.rule) && f.severity === 'error')} lint finding(s)`,
    ...(compileErrors ? [`${compileErrors} compile error(s)`] : []),
    ...(approved ? [`${approved} approved`] : [])
  ].join(', ')
  return {
    rules: CONTRACT_RULES,
    result: { stage: 'contract', verdict: blocking.length > 0 ? 'fail' : 'pass', summary, findings: reported, details, evidence, durationMs: Date.now() - started }
  }
}

function resolveBase(command: ContractCommand, ctx: StageContext): Base | undefined {
  const fromCommand = command.against
  const fromConfig = ctx.config?.contract?.against
  // On a pull request the base branch is the natural base; actions/checkout fetches it with fetch-depth: 0.
  const fromPullRequest = ctx.options.env.GITHUB_BASE_REF ? `origin/${ctx.options.env.GITHUB_BASE_REF}` : undefined
  const spec = fromCommand ?? fromConfig ?? fromPullRequest
  if (spec === undefined) return undefined
  const relativeTo = fromCommand !== undefined ? ctx.options.cwd : ctx.baseDir
  const asDir = path.resolve(relativeTo, spec)
  if (existsSync(asDir) && statSync(asDir).isDirectory()) return { kind: 'dir', dir: asDir }
  return { kind: 'git', ref: spec }
}

/** The module roots of a workspace as one import namespace, from `rootDir` (the head, or the base directory). */
function workspaceTree(rootDir: string, workspace: BufWorkspace, open: (moduleRoot: string, exclude: string[]) => SourceTree | Promise<SourceTree>) {
  return Promise.all(
    workspace.modules.flatMap((m) =>
      m.roots.map(async (root) => {
        const rel = path.posix.join(m.dirPath, root)
        return { tree: await open(path.join(rootDir, rel), m.excludes[root] ?? []), prefix: rel === '.' ? '' : `${rel}/` }
      })
    )
  ).then(combinedTree)
}

/** With `contract check`: REST/JSON rules, the evolution policy and the semver gate on top of buf's findings. */
interface EvolutionRequest {
  config: ContractConfig | undefined
  env: NodeJS.ProcessEnv
}

/** `headCompilation`: lint's compile of the head, reused by the checks that would compile the same files again. */
async function compareWithBase(dir: string, workspace: BufWorkspace, base: Base, cwd: string, headCompilation: Compilation | undefined, evolution?: EvolutionRequest) {
  const head = await workspaceTree(dir, workspace, (root, exclude) => directoryTree(root, { exclude }))
  let changed: string[] | undefined
  let gitDir: string | undefined
  const baseTree =
    base.kind === 'dir'
      ? await workspaceTree(base.dir, workspace, (root, exclude) => directoryTree(root, { exclude }))
      : await workspaceTree(dir, workspace, async (root) => {
          const top = gitTopLevel(dir)
          const relDir = path.relative(top, root).split(path.sep).join('/')
          gitDir ??= relDir
          if (workspace.modules.length === 1 && workspace.modules[0]!.roots.length === 1)
            // PR mode: compare what the change can reach; compareTrees guarantees the same findings as a full compare.
            changed = await changedProtoFiles({ repo: dir, base: base.ref, dir: relDir })
          return gitTree({ repo: dir, ref: base.ref, dir: relDir })
        })
  try {
    // Multi-module workspaces are compared as one image with the first module's breaking config.
    const options = breakingOptionsFromConfig(workspace.modules[0]!.breaking)
    const displayPath = (p: string) => shown(path.join(dir, head.displayPath(p)), cwd)
    const result = await compareTrees(head, baseTree, {
      ...options,
      ...(changed ? { changed } : {}),
      ...(headCompilation ? { headCompilation } : {}),
      displayPath,
      baseDisplayPath: (p) => (base.kind === 'dir' ? shown(path.join(base.dir, baseTree.displayPath(p)), cwd) : `${base.ref}:${baseTree.displayPath(p)}`)
    })
    const bufFindings = toReportFindings(result.findings)
    let findings = bufFindings
    let evolutionDetails: string[] = []
    let impactTable: string | undefined
    if (evolution) {
      const cfg = evolution.config
      // The compare's compile of each side; lint's of the head when the compare scoped it to a change.
      const headCompiled = result.compilations.head ?? headCompilation
      const checked = await checkContractEvolution({
        head,
        base: baseTree,
        breakingFindings: bufFindings,
        displayPath,
        ...(base.kind === 'git' && gitDir !== undefined ? { git: { repo: dir, dir: gitDir, baseRef: base.ref } } : {}),
        ...(headCompiled ? { headCompilation: headCompiled } : {}),
        ...(result.compilations.base ? { baseCompilation: result.compilations.base } : {}),
        labels: await readEventLabels(evolution.env.GITHUB_EVENT_PATH),
        config: { ...(cfg?.rest ? { rest: cfg.rest } : {}), ...(cfg?.policy ? { policy: cfg.policy } : {}), approvalLabel: cfg?.approvalLabel ?? 'breaking-change-approved' }
      })
      findings = checked.findings
      evolutionDetails = [`evolution: ${checked.summary}`, ...checked.details]
      impactTable = protocolTable(checked.evidence.impacts ?? [])
    }
    return { findings, rules: result.rules, stats: result.stats, changed: changed?.length, evolutionDetails, impactTable }
  } finally {
    await Promise.all([head.close(), baseTree.close()])
  }
}

const LEVEL_MARK = { safe: '✅ safe', warning: '⚠️ warning', breaking: '❌ breaking' } as const

/** The job summary's per-protocol table: what each breaking change does to gRPC, generated code and REST. */
function protocolTable(rows: readonly ProtocolImpactRow[]): string | undefined {
  if (rows.length === 0) return undefined
  return [
    '| rule | location | gRPC wire | generated code | REST/JSON | status |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.rule}\` | ${r.path ? `\`${r.path}:${r.line}\`` : ''} | ${LEVEL_MARK[r.wire]} | ${LEVEL_MARK[r.code]} | ${LEVEL_MARK[r.rest]} | ${r.allowedBy ? `allowed: ${r.allowedBy.replace(/\|/g, '\\|')}` : 'blocking'} |`)
  ].join('\n')
}

function gitTopLevel(dir: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  } catch {
    throw new UsageError(`${dir}: --against names a git ref, but this directory is not in a git repository (or the ref is a directory that does not exist)`)
  }
}

/** Lint paths are relative to the linted directory; reports are relative to the working directory. */
function relocate(f: Finding, dir: string, cwd: string): Finding {
  return f.path ? { ...f, path: shown(path.join(dir, f.path), cwd) } : f
}

function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file)
  return (rel === '' ? '.' : rel).split(path.sep).join('/')
}
