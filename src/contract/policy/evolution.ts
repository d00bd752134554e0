/**
 * One call for the contract stage: REST rules, POLICY rules and the semver gate over the two
 * trees the breaking compare already opened, plus buf's breaking findings. Returns report
 * findings (allowed ones as notices, each gated finding with its per-protocol impact) and
 * whether anything blocks.
 */

import type { Finding } from '../../report/findings.js'
import { toReportFindings } from '../breaking.js'
import type { ProtoFile } from '../proto/index.js'
import { compileSide, restCompare } from '../rest/compare.js'
import type { GatewayConfig } from '../rest/gateway-yaml.js'
import { fieldRenameDetails, type Level } from '../rest/impact.js'
import type { RuleFinding } from '../rest/types.js'
import { readAll, type Compilation } from '../source/compare.js'
import type { SourceTree } from '../source/tree.js'
import { deprecationHistory, policyCompare } from './compare.js'
import { resolveVersions, semverGate, DEFAULT_APPROVAL_LABEL, type Versions } from './gate.js'
import { parseVersion } from './releases.js'

export interface EvolutionConfig {
  rest?: { enabled?: boolean; use?: readonly string[]; except?: readonly string[] }
  policy?: {
    enabled?: boolean
    use?: readonly string[]
    except?: readonly string[]
    /** Release tag glob, default `v*`. */
    tagPattern?: string
    /** Major versions between deprecation and deletion, default 2. */
    majorsBefore?: number
    /** The version head is released as (semver), when neither a tag nor the package says it. */
    version?: string
  }
  /** PR label that approves breaking changes, default `breaking-change-approved`. */
  approvalLabel?: string
}

export interface EvolutionInput {
  head: SourceTree
  base: SourceTree
  /** buf's breaking findings as the stage made them (paths already display paths). */
  breakingFindings: readonly Finding[]
  /** Module-relative path → the path findings print (the same function the breaking compare used). */
  displayPath: (modulePath: string) => string
  /** When the base is a git ref: enables release tags, versions and POLICY_DEPRECATE_BEFORE_DELETE. */
  git?: { repo: string; dir: string; baseRef: string; headRef?: string }
  /** gRPC-Gateway http rule YAML of each side, read by the caller (head from disk, base from the base ref). */
  gatewayConfig?: { head?: GatewayConfig; base?: GatewayConfig }
  /** Each side compiled before (by lint, by the breaking compare); used instead of compiling it again when it had exactly the same inputs. */
  headCompilation?: Compilation
  baseCompilation?: Compilation
  /** Pull request labels (readEventLabels()). */
  labels: readonly string[]
  config?: EvolutionConfig
}

export interface EvolutionResult {
  /** buf's findings and ours, gated: allowed ones are notices. */
  findings: Finding[]
  blocking: boolean
  summary: string
  details: string[]
  evidence: { versions: Versions; restRules: string[]; problems: string[]; impacts?: ProtocolImpactRow[] }
}

/** One gated finding's impact per protocol, for the summary's table. */
export interface ProtocolImpactRow {
  rule: string
  path?: string
  line?: number
  wire: Level
  code: Level
  rest: Level
  allowedBy?: string
}

export class EvolutionInputError extends Error {
  override readonly name = 'EvolutionInputError'
}

export async function checkContractEvolution(input: EvolutionInput): Promise<EvolutionResult> {
  const config = input.config ?? {}
  const [headTexts, baseTexts] = await Promise.all([readAll(input.head), readAll(input.base)])
  const headSide = compileSide(headTexts, input.headCompilation)
  const baseSide = compileSide(baseTexts, input.baseCompilation)
  // The breaking compare already reported compile errors as COMPILE findings; nothing more to judge.
  if (headSide.errors.length > 0 || baseSide.errors.length > 0) {
    return { findings: [...input.breakingFindings], blocking: true, summary: 'the contract does not compile', details: [], evidence: { versions: { majorBump: false }, restRules: [], problems: [] } }
  }
  const ours: RuleFinding[] = []
  let restRuleIds: string[] = []
  let problems: string[] = []
  if (config.rest?.enabled !== false) {
    const rest = restCompare(headSide.files, baseSide.files, { ...(input.gatewayConfig ? { gatewayConfig: input.gatewayConfig } : {}), ...(config.rest?.use ? { use: config.rest.use } : {}), ...(config.rest?.except ? { except: config.rest.except } : {}), displayPath: input.displayPath })
    ours.push(...rest.findings)
    restRuleIds = rest.rules
    problems = rest.problems
  }
  let versions: Versions = { majorBump: false }
  const declared = config.policy?.version !== undefined ? parseVersion(config.policy.version) : undefined
  if (config.policy?.version !== undefined && !declared) throw new EvolutionInputError(`contract.policy.version: expected a semantic version like 2.0.0, got ${JSON.stringify(config.policy.version)}`)
  if (input.git) {
    versions = await resolveVersions({
      repo: input.git.repo,
      baseRef: input.git.baseRef,
      ...(input.git.headRef !== undefined ? { headRef: input.git.headRef } : {}),
      ...(config.policy?.tagPattern !== undefined ? { tagPattern: config.policy.tagPattern } : {}),
      ...(declared ? { declared } : {}),
      head: headSide.files,
      base: baseSide.files
    })
  }
  if (config.policy?.enabled !== false) {
    const history = input.git
      ? await deprecationHistory({
          repo: input.git.repo,
          dir: input.git.dir,
          mergedInto: input.git.baseRef,
          ...(config.policy?.tagPattern !== undefined ? { tagPattern: config.policy.tagPattern } : {}),
          ...(config.policy?.majorsBefore !== undefined ? { majorsBefore: config.policy.majorsBefore } : {}),
          ...(versions.head && versions.majorBump ? { targetVersion: versions.head.version, targetSource: versions.head.source } : {}),
          head: headSide.files,
          base: baseSide.files
        })
      : undefined
    ours.push(
      ...policyCompare(
        { head: headSide.files, base: baseSide.files, ...(history ? { history } : {}) },
        { ...(config.policy?.use ? { use: config.policy.use } : {}), ...(config.policy?.except ? { except: config.policy.except } : {}), displayPath: input.displayPath }
      )
    )
  }
  const notRun =
    config.policy?.enabled !== false && !input.git
      ? ['POLICY_DEPRECATE_BEFORE_DELETE and the version check were not run: the base is not a git ref, so there are no release tags to read']
      : []
  const headByPath = new Map(headSide.files.map((file) => [file.path, file]))
  const byDisplay = new Map<string, { text: string; file?: ProtoFile }>()
  for (const [modulePath, text] of headTexts) byDisplay.set(input.displayPath(modulePath), { text, file: headByPath.get(modulePath) })
  const gate = semverGate({
    findings: [...input.breakingFindings, ...toReportFindings(ours)],
    versions,
    labels: input.labels,
    approvalLabel: config.approvalLabel ?? DEFAULT_APPROVAL_LABEL,
    readText: (path) => byDisplay.get(path)?.text,
    details: (finding) => {
      if (finding.rule !== 'FIELD_SAME_NAME' || finding.path === undefined || finding.line === undefined || finding.column === undefined) return undefined
      const head = byDisplay.get(finding.path)?.file
      return head ? fieldRenameDetails({ line: finding.line, column: finding.column, message: finding.message }, head, baseSide.files) : undefined
    }
  })
  const impacts = gate.gated.map(({ finding, impact, allowedBy }) => ({
    rule: finding.rule,
    ...(finding.path !== undefined ? { path: finding.path, line: finding.line } : {}),
    wire: impact.wire,
    code: impact.code,
    rest: impact.rest,
    ...(allowedBy ? { allowedBy: allowedBy.detail } : {})
  }))
  return { findings: gate.findings, blocking: gate.blocking, summary: gate.summary, details: [...notRun, ...gate.details], evidence: { versions, restRules: restRuleIds, problems, impacts } }
}
