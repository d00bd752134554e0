import type { Report } from '../report/findings.js'
import { renderSummary, type SummaryOptions } from '../report/render/summary.js'
import { COMMENT_MAX_CHARS, truncateWithNote, truncationNote } from './limits.js'
import { actionsLog, type GitHubClient, type GitHubLog } from './octokit.js'
import { failureOutcome, REQUIRED_PERMISSION, type PublishOutcome } from './outcome.js'

export interface PullRequestTarget {
  owner: string
  repo: string
  /** The PR number (PR comments are issue comments). */
  issueNumber: number
}

/**
 * The hidden first line that identifies this workflow+job's comment. Names are escaped so that a
 * workflow called "a --> b" cannot end the HTML comment early, and so that distinct names never
 * share a marker (":" separates the parts, "%" introduces an escape, "--" may not appear).
 */
export function stickyCommentMarker(workflow: string, job: string): string {
  const escape = (s: string) => s.replace(/[%<>:\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/--/g, '-%2D')
  return `<!-- release-gate:${escape(workflow)}:${escape(job)} -->`
}

/** The marker, then the job-summary markdown, within GitHub's 65,536-character comment limit. */
export function commentBody(report: Report, marker: string, linkFor?: SummaryOptions['linkFor']): string {
  const head = `${marker}\n`
  const summary = renderSummary(report, { budgetBytes: COMMENT_MAX_CHARS - head.length, ...(linkFor ? { linkFor } : {}) })
  return head + truncateWithNote(summary, COMMENT_MAX_CHARS - head.length, truncationNote("GitHub's comment limit is 65,536"))
}

export interface CommentOptions {
  workflow: string
  job: string
  linkFor?: SummaryOptions['linkFor']
  log?: GitHubLog
}

/**
 * One comment per workflow+job on the PR, edited in place on every run instead of piling up: the
 * comments are paged through until one starts with this job's marker; that one is updated (unless
 * it already says the same), otherwise a new one is created.
 */
export async function publishStickyComment(octokit: GitHubClient, target: PullRequestTarget, report: Report, options: CommentOptions): Promise<PublishOutcome> {
  const log = options.log ?? actionsLog
  const marker = stickyCommentMarker(options.workflow, options.job)
  const body = commentBody(report, marker, options.linkFor)
  const { owner, repo, issueNumber } = target

  let existing: { id: number; body?: string | undefined; html_url: string } | undefined
  let requests = 0
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })) {
      requests++
      // startsWith, not includes: a reply that quotes our comment starts with "> ".
      existing = page.data.find((c) => c.body?.trimStart().startsWith(marker))
      if (existing) break
    }
  } catch (err) {
    return failureOutcome(err, `read the comments of pull request #${issueNumber}`, REQUIRED_PERMISSION.commentRead, log)
  }

  if (existing?.body === body) {
    log.debug(`release-gate: comment ${existing.id} already shows this report`)
    return { status: 'published', id: existing.id, url: existing.html_url, requests }
  }
  try {
    const { data } = existing
      ? await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
      : await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
    log.info(`release-gate: ${existing ? 'updated' : 'created'} the PR comment ${data.html_url}`)
    return { status: 'published', id: data.id, url: data.html_url, requests: requests + 1 }
  } catch (err) {
    return failureOutcome(err, `${existing ? 'update' : 'create'} the comment on pull request #${issueNumber}`, REQUIRED_PERMISSION.comment, log)
  }
}
