/**
 * The policy compare: POLICY rules of head against base, with the release history that
 * POLICY_DEPRECATE_BEFORE_DELETE needs read from git tags.
 */

import { forEachEnum, forEachMessage, type ProtoFile } from '../proto/index.js'
import { runExtraRules, selectExtraRules, type RuleFinding } from '../rest/types.js'
import { compareVersions, contractAt, formatVersion, releaseTags, type SemVer } from './releases.js'
import { policyRules, type DeprecationHistory, type PolicyContext, type PolicyRule } from './rules.js'

export class PolicyConfigError extends Error {
  override readonly name = 'PolicyConfigError'
}

export interface PolicyCompareOptions {
  /** Rule IDs or `POLICY`; absent or empty = every POLICY rule. */
  use?: readonly string[]
  except?: readonly string[]
  displayPath?: (modulePath: string) => string
}

export function selectPolicyRules(options: Pick<PolicyCompareOptions, 'use' | 'except'> = {}): PolicyRule[] {
  return selectExtraRules(policyRules, 'POLICY', options, PolicyConfigError)
}

export function policyCompare(context: PolicyContext, options: PolicyCompareOptions = {}): RuleFinding[] {
  return runExtraRules(selectPolicyRules(options), context, options.displayPath ?? ((modulePath: string) => modulePath))
}

/** True when a field or enum value of a message/enum on both sides was deleted. */
export function hasDeletions(head: readonly ProtoFile[], base: readonly ProtoFile[]): boolean {
  const headNumbers = new Map<string, Set<number>>()
  for (const file of head) {
    forEachMessage(file, (message) => headNumbers.set(message.fullName, new Set(message.fields.map((field) => field.number))))
    forEachEnum(file, (decl) => headNumbers.set(decl.fullName, new Set(decl.values.map((value) => value.number))))
  }
  let deleted = false
  const check = (name: string, numbers: readonly number[]): void => {
    const present = headNumbers.get(name)
    if (present && numbers.some((number) => !present.has(number))) deleted = true
  }
  for (const file of base) {
    forEachMessage(file, (message) => check(message.fullName, message.fields.map((field) => field.number)))
    forEachEnum(file, (decl) => check(decl.fullName, decl.values.map((value) => value.number)))
  }
  return deleted
}

export interface HistoryOptions {
  /** Any directory inside the git repository. */
  repo: string
  /** The module directory relative to the repository root ('' for the root). */
  dir?: string
  /** Release tag glob (default `v*`). */
  tagPattern?: string
  /** Only releases reachable from this ref (the PR base); default: every tag. */
  mergedInto?: string
  /** Major versions between deprecation and deletion (default 2). */
  majorsBefore?: number
  /** The version being released; default: the next major after the newest release (a deletion needs one). */
  targetVersion?: SemVer
  /** Where targetVersion came from, for messages, e.g. `tag v3.0.0` (default: declared). */
  targetSource?: string
  /** Newest eligible releases read at most (each is read from git objects and compiled); default 10. */
  maxReleases?: number
  head: readonly ProtoFile[]
  base: readonly ProtoFile[]
}

/** The releases POLICY_DEPRECATE_BEFORE_DELETE consults; reads git only when something was deleted. */
export async function deprecationHistory(options: HistoryOptions): Promise<DeprecationHistory> {
  const majorsBefore = options.majorsBefore ?? 2
  if (!Number.isInteger(majorsBefore) || majorsBefore < 0) throw new PolicyConfigError(`majorsBefore must be a whole number ≥ 0, got ${majorsBefore}`)
  const releases = await releaseTags({ repo: options.repo, pattern: options.tagPattern ?? 'v*', ...(options.mergedInto !== undefined ? { mergedInto: options.mergedInto } : {}) })
  const latest = releases.at(-1)?.version
  const targetMajor = options.targetVersion?.major ?? (latest ? latest.major + 1 : 1)
  const targetReason = options.targetVersion
    ? options.targetSource !== undefined
      ? `head version ${formatVersion(options.targetVersion)} from ${options.targetSource}`
      : `the declared version ${formatVersion(options.targetVersion)}`
    : latest
      ? `the next major after ${releases.at(-1)!.tag}, which a deletion needs`
      : 'no release yet'
  const history: DeprecationHistory = { majorsBefore, targetMajor, targetReason, eligible: [], ...(latest ? { latest } : {}) }
  if (!hasDeletions(options.head, options.base)) return history
  const eligible = releases
    .filter((release) => release.version.major <= targetMajor - majorsBefore)
    .sort((a, b) => compareVersions(b.version, a.version))
    .slice(0, options.maxReleases ?? 10)
  const contracts = await Promise.all(eligible.map((release) => contractAt(options.repo, release, options.dir ?? '')))
  // A release that does not compile cannot show a deprecation; say which one instead of guessing.
  const broken = contracts.find((contract) => contract.errors.length > 0)
  if (broken) throw new PolicyConfigError(`release ${broken.release.tag} does not compile: ${broken.errors.slice(0, 3).join('; ')}`)
  return { ...history, eligible: contracts }
}
