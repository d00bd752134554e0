import path from 'node:path'
import { allFindings, compareFindings, countBySeverity, type Finding, type Report, type Severity, type Verdict } from '../report/findings.js'
import { renderSummary, type SummaryOptions } from '../report/render/summary.js'
import { renderText } from '../report/render/text.js'
import {
  ANNOTATION_MESSAGE_MAX_BYTES,
  ANNOTATION_TITLE_MAX_CHARS,
  ANNOTATIONS_PER_REQUEST,
  CHECK_OUTPUT_MAX_CHARS,
  STATUS_DESCRIPTION_MAX_CHARS,
  truncateBytes,
  truncateChars,
  truncateWithNote,
  truncationNote
} from './limits.js'
import { actionsLog, type GitHubClient, type GitHubLog } from './octokit.js'
import { failureOutcome, REQUIRED_PERMISSION, type PublishOutcome } from './outcome.js'

export const DEFAULT_CHECK_NAME = 'release-gate'
export const DEFAULT_STATUS_CONTEXT = 'release-gate'

export interface CommitTarget {
  owner: string
  repo: string
  /** The commit the result belongs to: the PR head, not the test merge commit. */
  sha: string
}

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'action_required'

/**
 * pass → success, fail → failure. inconclusive → action_required: branch protection treats
 * success, neutral and skipped as satisfying a required check, and an undecided gate must never
 * let a release through; action_required blocks like failure yet says "a person must look" (rerun
 * once Prometheus or the cluster answers) instead of "this change is bad". A dry run that only
 * planned is neutral (its exit code is 0); a real run in which every stage was skipped decided
 * nothing, so it is action_required like inconclusive.
 */
export function checkConclusion(verdict: Verdict, dryRun: boolean): CheckConclusion {
  switch (verdict) {
    case 'pass':
      return 'success'
    case 'fail':
      return 'failure'
    case 'inconclusive':
      return 'action_required'
    case 'skipped':
      return dryRun ? 'neutral' : 'action_required'
  }
}

/** Commit statuses have no "needs a person" state; error is the blocking one that is not a failure. */
export function commitState(verdict: Verdict, dryRun: boolean): 'success' | 'failure' | 'error' {
  switch (verdict) {
    case 'pass':
      return 'success'
    case 'fail':
      return 'failure'
    case 'inconclusive':
      return 'error'
    case 'skipped':
      return dryRun ? 'success' : 'error'
  }
}

const ANNOTATION_LEVEL: Record<Severity, 'failure' | 'warning' | 'notice'> = { error: 'failure', warning: 'warning', notice: 'notice' }

export interface CheckAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'failure' | 'warning' | 'notice'
  message: string
  title: string
}

/**
 * One annotation per finding that names a file, most severe first. A finding without a line marks
 * the whole file, which the API expresses as line 1. Columns go only on single-line annotations,
 * which is all GitHub accepts.
 */
export function toAnnotations(findings: Finding[], pathPrefix = ''): CheckAnnotation[] {
  return findings
    .filter((f): f is Finding & { path: string } => typeof f.path === 'string' && f.path !== '')
    .sort(compareFindings)
    .map((f) => {
      const start = f.line ?? 1
      const end = Math.max(f.endLine ?? start, start)
      const annotation: CheckAnnotation = {
        path: pathPrefix ? path.posix.join(pathPrefix, f.path) : f.path,
        start_line: start,
        end_line: end,
        annotation_level: ANNOTATION_LEVEL[f.severity],
        message: truncateBytes(f.help ? `${f.message}\n${f.help}` : f.message, ANNOTATION_MESSAGE_MAX_BYTES),
        title: truncateChars(f.rule, ANNOTATION_TITLE_MAX_CHARS)
      }
      if (f.line !== undefined && start === end && f.column !== undefined) {
        annotation.start_column = f.column
        if (f.endColumn !== undefined && f.endColumn >= f.column) annotation.end_column = f.endColumn
      }
      return annotation
    })
}

export interface CheckOutput {
  title: string
  summary: string
  text: string
}

/** Title, summary (the job-summary markdown) and text (the compiler-style list), each within 65,535 characters. */
export function checkOutput(report: Report, linkFor?: SummaryOptions['linkFor']): CheckOutput {
  const counts = countBySeverity(allFindings(report))
  const title = `${report.verdict}${report.dryRun ? ' (dry run)' : ''}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.notice} notice(s)`
  const note = truncationNote("GitHub's check-run limit is 65,535")
  // The renderer drops whole rows to fit a byte budget (bytes ≥ characters); the cut below only
  // catches what the budget cannot, such as a huge stage summary.
  const summary = truncateWithNote(renderSummary(report, { budgetBytes: CHECK_OUTPUT_MAX_CHARS, ...(linkFor ? { linkFor } : {}) }), CHECK_OUTPUT_MAX_CHARS, note)
  const fence = '```'
  const open = `${fence}text\n`
  const close = `\n${fence}\n`
  // Cut inside the fence, then close it, so a truncated list still renders as a code block.
  const list = truncateWithNote(renderText(report, { color: false }).trimEnd(), CHECK_OUTPUT_MAX_CHARS - open.length - close.length, (shown, total) =>
    `\n… truncated by release-gate: ${shown} of ${total} characters shown (GitHub's check-run limit is 65,535); the JSON report has everything.`
  )
  return { title, summary, text: open + list + close }
}

export interface CheckRunOptions {
  /** The check's name in the PR's checks list (default release-gate). */
  name?: string
  /** This run's page; GitHub sends people there for action_required. */
  detailsUrl?: string
  externalId?: string
  /** Repository-relative directory that finding paths are relative to (the working directory). */
  pathPrefix?: string
  linkFor?: SummaryOptions['linkFor']
  log?: GitHubLog
  /** Clock for started_at / completed_at. */
  now?: () => Date
}

/**
 * Creates a completed check run for the report. Annotations go 50 per request: the first batch with
 * the create call, each further batch in an update (GitHub appends them); the request carrying the
 * last batch also sets the conclusion, so the run never shows "completed" with annotations missing.
 */
export async function publishCheckRun(octokit: GitHubClient, target: CommitTarget, report: Report, options: CheckRunOptions = {}): Promise<PublishOutcome> {
  const log = options.log ?? actionsLog
  const now = options.now ?? (() => new Date())
  const output = checkOutput(report, options.linkFor)
  const annotations = toAnnotations(allFindings(report), options.pathPrefix)
  const batches: CheckAnnotation[][] = []
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST))
  if (batches.length === 0) batches.push([])
  const conclusion = checkConclusion(report.verdict, report.dryRun)
  const finish = () => ({ status: 'completed' as const, conclusion, completed_at: now().toISOString() })
  const outputWith = (batch: CheckAnnotation[]) => ({ ...output, ...(batch.length > 0 ? { annotations: batch } : {}) })
  const { owner, repo } = target

  let id: number
  let url: string | undefined
  try {
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name: options.name ?? DEFAULT_CHECK_NAME,
      head_sha: target.sha,
      ...(options.detailsUrl ? { details_url: options.detailsUrl } : {}),
      ...(options.externalId ? { external_id: options.externalId } : {}),
      started_at: now().toISOString(),
      ...(batches.length === 1 ? finish() : { status: 'in_progress' as const }),
      output: outputWith(batches[0]!)
    })
    id = created.data.id
    url = created.data.html_url ?? undefined
  } catch (err) {
    return failureOutcome(err, 'create the check run', REQUIRED_PERMISSION.checkRun, log)
  }

  let requests = 1
  for (let i = 1; i < batches.length; i++) {
    const last = i === batches.length - 1
    try {
      await octokit.rest.checks.update({ owner, repo, check_run_id: id, output: outputWith(batches[i]!), ...(last ? finish() : {}) })
      requests++
    } catch (err) {
      const sent = batches.slice(0, i).reduce((n, b) => n + b.length, 0)
      const outcome = failureOutcome(err, `attach annotations ${sent + 1}–${annotations.length} to check run ${id}`, REQUIRED_PERMISSION.checkRun, log)
      // Still conclude the run: a check left in_progress shows as pending on the PR indefinitely.
      if (outcome.status !== 'permission-denied') {
        try {
          await octokit.rest.checks.update({ owner, repo, check_run_id: id, ...finish() })
        } catch (finishErr) {
          failureOutcome(finishErr, `conclude check run ${id}`, REQUIRED_PERMISSION.checkRun, log)
        }
      }
      return outcome
    }
  }
  log.info(`release-gate: check run ${id} (${conclusion}) with ${annotations.length} annotation(s) in ${requests} request(s)${url ? `: ${url}` : ''}`)
  return { status: 'published', id, ...(url ? { url } : {}), requests }
}

export interface CommitStatusOptions {
  /** The status's name on the commit (default release-gate). */
  context?: string
  targetUrl?: string
  log?: GitHubLog
}

/** "fail: 3 error(s), 1 warning(s) — contract: 2 breaking changes", cut to GitHub's 140 characters. */
export function statusDescription(report: Report): string {
  const counts = countBySeverity(allFindings(report))
  const deciding = report.stages.find((s) => s.verdict === report.verdict && s.verdict !== 'pass' && s.verdict !== 'skipped')
  const base = `${report.verdict}${report.dryRun ? ' (dry run)' : ''}: ${counts.error} error(s), ${counts.warning} warning(s)`
  return truncateChars(deciding ? `${base} — ${deciding.stage}: ${deciding.summary.replace(/\s+/g, ' ')}` : base, STATUS_DESCRIPTION_MAX_CHARS)
}

/** A commit status for tools and branch protections that read statuses rather than check runs. */
export async function publishCommitStatus(octokit: GitHubClient, target: CommitTarget, report: Report, options: CommitStatusOptions = {}): Promise<PublishOutcome> {
  const log = options.log ?? actionsLog
  const state = commitState(report.verdict, report.dryRun)
  try {
    const { data } = await octokit.rest.repos.createCommitStatus({
      owner: target.owner,
      repo: target.repo,
      sha: target.sha,
      state,
      context: options.context ?? DEFAULT_STATUS_CONTEXT,
      description: statusDescription(report),
      ...(options.targetUrl ? { target_url: options.targetUrl } : {})
    })
    log.info(`release-gate: commit status "${data.context}" ${state} on ${target.sha.slice(0, 12)}`)
    return { status: 'published', id: data.id, requests: 1 }
  } catch (err) {
    return failureOutcome(err, 'set the commit status', REQUIRED_PERMISSION.commitStatus, log)
  }
}
