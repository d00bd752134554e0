import path from 'node:path'
import type { Finding, Report } from '../report/findings.js'
import { publishCheckRun, publishCommitStatus } from './checks.js'
import { publishStickyComment } from './comment.js'
import type { EventContext } from './context.js'
import { actionsLog, type GitHubClient, type GitHubLog } from './octokit.js'
import type { PublishOutcome } from './outcome.js'

export interface PublishOptions {
  checkRun?: boolean
  commitStatus?: boolean
  comment?: boolean
  checkName?: string
  statusContext?: string
  /** Repository-relative directory finding paths are relative to (the working directory). */
  pathPrefix?: string
  log?: GitHubLog
}

export interface PublishResult {
  checkRun?: PublishOutcome
  commitStatus?: PublishOutcome
  comment?: PublishOutcome
}

/**
 * Posts the report wherever it was asked for, each independently: one kind failing (a missing
 * permission, GitHub down) neither stops the others nor throws. The verdict is the caller's and stays as it is.
 */
export async function publishReport(octokit: GitHubClient, ctx: EventContext, report: Report, options: PublishOptions = {}): Promise<PublishResult> {
  const log = options.log ?? actionsLog
  const target = { owner: ctx.owner, repo: ctx.repo, sha: ctx.headSha }
  const linkFor = blobLinker(ctx, options.pathPrefix)
  const result: PublishResult = {}
  if (options.checkRun ?? true)
    result.checkRun = await publishCheckRun(octokit, target, report, {
      ...(options.checkName ? { name: options.checkName } : {}),
      ...(ctx.runUrl ? { detailsUrl: ctx.runUrl } : {}),
      ...(ctx.runId ? { externalId: ctx.runId } : {}),
      ...(options.pathPrefix ? { pathPrefix: options.pathPrefix } : {}),
      linkFor,
      log
    })
  if (options.commitStatus ?? false)
    result.commitStatus = await publishCommitStatus(octokit, target, report, {
      ...(options.statusContext ? { context: options.statusContext } : {}),
      ...(ctx.runUrl ? { targetUrl: ctx.runUrl } : {}),
      log
    })
  if (options.comment ?? true) {
    if (ctx.pullRequest)
      result.comment = await publishStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber: ctx.pullRequest.number }, report, {
        workflow: ctx.workflow,
        job: ctx.job,
        linkFor,
        log
      })
    else result.comment = { status: 'skipped', reason: `no pull request in a ${ctx.eventName || 'non-PR'} event` }
  }
  return result
}

/** Links a finding to its lines at the reported commit, e.g. …/blob/<sha>/proto/a.proto#L12-L17. */
export function blobLinker(ctx: Pick<EventContext, 'serverUrl' | 'owner' | 'repo' | 'headSha'>, pathPrefix = ''): (f: Finding) => string | undefined {
  return (f) => {
    if (!f.path || !ctx.headSha) return undefined
    const file = (pathPrefix ? path.posix.join(pathPrefix, f.path) : f.path).split('/').map(encodeURIComponent).join('/')
    const lines = f.line ? `#L${f.line}${f.endLine && f.endLine !== f.line ? `-L${f.endLine}` : ''}` : ''
    return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/blob/${ctx.headSha}/${file}${lines}`
  }
}
