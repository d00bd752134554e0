/**
 * The semver gate: a breaking change ships only with a major version bump or an explicit
 * approval. Approvals are a pull-request label (from the GitHub event payload) or a comment
 * `// release-gate:allow RULE reason` on the finding's line or in the comment lines right above
 * it. Allowed findings become notices that say who allowed them and why; the rest stay errors
 * and block. Every gated finding gets its per-protocol impact as help.
 */

import { readFile } from 'node:fs/promises'
import type { Finding } from '../../report/findings.js'
import type { ProtoFile } from '../proto/index.js'
import { formatImpact, impactOf, type ImpactDetails, type ProtocolImpact } from '../rest/impact.js'
import { compareVersions, formatVersion, packageMajor, releaseTags, tagsAt, type SemVer } from './releases.js'

export const DEFAULT_APPROVAL_LABEL = 'breaking-change-approved'

export interface ContractVersion {
  version: SemVer
  /** Where it came from: `tag v1.4.0`, `config`, `package acme.pet.v2`. */
  source: string
}

export interface Versions {
  base?: ContractVersion
  head?: ContractVersion
  majorBump: boolean
}

export interface VersionOptions {
  repo: string
  tagPattern?: string
  /** The PR base ref; its newest release tag is the base version. */
  baseRef: string
  /** The ref being released (default HEAD); a release tag on it is the head version. */
  headRef?: string
  /** A version the config declares for head (wins over tags and packages). */
  declared?: SemVer
  head: readonly ProtoFile[]
  base: readonly ProtoFile[]
}

/** The base and head versions: release tags first, then the packages' vN suffix. */
export async function resolveVersions(options: VersionOptions): Promise<Versions> {
  const pattern = options.tagPattern ?? 'v*'
  const baseTags = await releaseTags({ repo: options.repo, pattern, mergedInto: options.baseRef })
  const baseTag = baseTags.at(-1)
  const base: ContractVersion | undefined = baseTag ? { version: baseTag.version, source: `tag ${baseTag.tag}` } : packageVersion(options.base)
  let head: ContractVersion | undefined
  if (options.declared) head = { version: options.declared, source: 'config' }
  else {
    // A tag on head that is not newer than the base (an uncommitted change on a released commit) says nothing about head.
    const headTag = (await tagsAt(options.repo, options.headRef ?? 'HEAD', pattern)).filter((release) => !base || compareVersions(release.version, base.version) > 0).at(-1)
    if (headTag) head = { version: headTag.version, source: `tag ${headTag.tag}` }
    else {
      const fromPackage = packageVersion(options.head)
      // A package suffix only says something about the major version; it bumps when it grows.
      if (fromPackage && (!base || fromPackage.version.major > base.version.major)) head = fromPackage
    }
  }
  return { ...(base ? { base } : {}), ...(head ? { head } : {}), majorBump: base !== undefined && head !== undefined && head.version.major > base.version.major }
}

function packageVersion(files: readonly ProtoFile[]): ContractVersion | undefined {
  let best: ContractVersion | undefined
  for (const file of files) {
    const major = packageMajor(file.package)
    if (major !== undefined && (!best || major > best.version.major)) best = { version: { major, minor: 0, patch: 0 }, source: `package ${file.package}` }
  }
  return best
}

/** Label names of the pull request in a GitHub event payload (empty for other events). */
export function labelsFromEvent(event: unknown): string[] {
  const labels = (event as { pull_request?: { labels?: unknown } } | null)?.pull_request?.labels
  if (!Array.isArray(labels)) return []
  return labels.map((label) => (label as { name?: unknown })?.name).filter((name): name is string => typeof name === 'string')
}

/** The labels of the event at `eventPath` (GITHUB_EVENT_PATH); none when there is no event file. */
export async function readEventLabels(eventPath: string | undefined = process.env.GITHUB_EVENT_PATH): Promise<string[]> {
  if (!eventPath) return []
  let text: string
  try {
    text = await readFile(eventPath, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  try {
    return labelsFromEvent(JSON.parse(text))
  } catch (error) {
    throw new Error(`${eventPath}: the GitHub event payload is not valid JSON (${(error as Error).message})`)
  }
}

export interface AllowComment {
  rule: string
  reason: string
  line: number
}

const ALLOW = /release-gate:allow\s+([A-Z][A-Z0-9_]*)\s+(\S.*?)\s*(?:\*\/)?$/

/**
 * The `release-gate:allow RULE reason` comment that covers a finding on `line` of `text`: on
 * that line itself, or in the `//` comment lines directly above it. A reason is required.
 */
export function allowCommentFor(text: string, line: number, rule: string): AllowComment | undefined {
  const lines = text.split('\n')
  const candidates = [line]
  for (let above = line - 1; above >= 1 && /^\s*\/\//.test(lines[above - 1] ?? ''); above--) candidates.push(above)
  for (const candidate of candidates) {
    const match = ALLOW.exec(lines[candidate - 1] ?? '')
    if (match && match[1] === rule) return { rule, reason: match[2]!, line: candidate }
  }
  return undefined
}

export interface GateInput {
  /** Breaking, REST and POLICY findings of the contract stage; only errors are gated. */
  findings: readonly Finding[]
  versions: Versions
  /** Labels on the pull request. */
  labels: readonly string[]
  approvalLabel?: string
  /** Head text of a finding's path (as the finding prints it), for allow comments. */
  readText?: (path: string) => string | undefined
  /** Details that refine a finding's impact (e.g. fieldRenameDetails for FIELD_SAME_NAME). */
  details?: (finding: Finding) => ImpactDetails | undefined
}

export interface GatedFinding {
  finding: Finding
  impact: ProtocolImpact
  /** How it was allowed; absent when it blocks. */
  allowedBy?: { kind: 'comment' | 'label' | 'major-bump'; detail: string }
}

export interface GateResult {
  /** The input findings with impact help; allowed ones downgraded to notices. */
  findings: Finding[]
  gated: GatedFinding[]
  /** An unapproved breaking finding is left. */
  blocking: boolean
  summary: string
  details: string[]
}

/** POLICY findings are about how the contract evolves; a major bump does not excuse them. */
const BUMP_EXCUSES = (rule: string): boolean => !rule.startsWith('POLICY_')

export function semverGate(input: GateInput): GateResult {
  const label = input.approvalLabel ?? DEFAULT_APPROVAL_LABEL
  const labelled = input.labels.includes(label)
  const { base, head, majorBump } = input.versions
  const gated: GatedFinding[] = []
  const findings = input.findings.map((finding): Finding => {
    if (finding.severity !== 'error') return finding
    const impact = impactOf(finding.rule, input.details?.(finding))
    const text = finding.path !== undefined && finding.line !== undefined ? input.readText?.(finding.path) : undefined
    const comment = text !== undefined ? allowCommentFor(text, finding.line!, finding.rule) : undefined
    let allowedBy: GatedFinding['allowedBy']
    if (comment) allowedBy = { kind: 'comment', detail: `release-gate:allow on line ${comment.line}: ${comment.reason}` }
    else if (labelled) allowedBy = { kind: 'label', detail: `pull request label "${label}"` }
    else if (majorBump && BUMP_EXCUSES(finding.rule)) allowedBy = { kind: 'major-bump', detail: `major version bump ${formatVersion(base!.version)} → ${formatVersion(head!.version)} (${head!.source})` }
    gated.push({ finding, impact, ...(allowedBy ? { allowedBy } : {}) })
    const help = [finding.help, formatImpact(impact)].filter(Boolean).join('\n')
    return allowedBy ? { ...finding, severity: 'notice', message: `${finding.message} [allowed: ${allowedBy.detail}]`, help } : { ...finding, help }
  })
  const blocked = gated.filter((entry) => !entry.allowedBy)
  const versionText = `${base ? `${formatVersion(base.version)} (${base.source})` : 'no released version'} → ${head ? `${formatVersion(head.version)} (${head.source})` : 'no new version'}`
  const summary =
    gated.length === 0
      ? `no breaking changes (${versionText})`
      : blocked.length === 0
        ? `${gated.length} breaking change${gated.length === 1 ? '' : 's'} allowed (${versionText})`
        : `${blocked.length} of ${gated.length} breaking change${gated.length === 1 ? '' : 's'} not allowed: bump the major version, add the "${label}" label, or add "// release-gate:allow RULE reason" (${versionText})`
  const details = gated.map((entry) => `${entry.finding.rule}${entry.finding.path ? ` ${entry.finding.path}:${entry.finding.line}` : ''}: ${entry.allowedBy ? `allowed by ${entry.allowedBy.detail}` : 'BLOCKING'}`)
  return { findings, gated, blocking: blocked.length > 0, summary, details }
}

