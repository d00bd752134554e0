import type { GitHubLog } from './octokit.js'

/** Job permissions (workflow `permissions:` keys) each kind of report needs. */
export const REQUIRED_PERMISSION = {
  checkRun: 'checks: write',
  commitStatus: 'statuses: write',
  comment: 'pull-requests: write',
  /** Finding the sticky comment; a read-only token has it on public repositories. */
  commentRead: 'pull-requests: read'
} as const

/**
 * What happened to one piece of reporting. Publishing never throws and never changes the verdict:
 * a run whose token cannot write still gates, and says what it could not post.
 */
export type PublishOutcome =
  | { status: 'published'; id: number; url?: string; requests: number }
  | { status: 'skipped'; reason: string }
  | { status: 'permission-denied'; permission: string; message: string }
  | { status: 'failed'; message: string }

interface HttpErrorLike {
  status: number
  message: string
  response?: { headers?: Record<string, string | number | undefined> }
}

export function isHttpError(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && err instanceof Error
}

/**
 * GitHub's answer when the token exists but its permissions do not cover the call: "Resource not
 * accessible by integration" for GITHUB_TOKEN / App tokens, "… by personal access token" for
 * fine-grained PATs. Other 403s (secondary rate limits, blocked users) are not permission gaps.
 */
export function isPermissionDenied(err: unknown): err is HttpErrorLike {
  return isHttpError(err) && err.status === 403 && /Resource not accessible by (integration|personal access token)/i.test(err.message)
}

/**
 * Turns a failed call into an outcome and one log line. `doing` completes "release-gate could not …".
 * Permission gaps become a notice that names the job permission to add; anything else a warning.
 */
export function failureOutcome(err: unknown, doing: string, permission: string, log: GitHubLog): PublishOutcome {
  if (isPermissionDenied(err)) {
    const accepted = err.response?.headers?.['x-accepted-github-permissions']
    const message =
      `release-gate could not ${doing}: the token lacks \`${permission}\` (GitHub answered 403 "Resource not accessible by integration"). ` +
      `Add \`permissions: { ${permission} }\` to the job. Pull requests from forks get a read-only GITHUB_TOKEN, so there the results ` +
      `stay in the job summary and the JSON report. The verdict is unaffected.` +
      (accepted ? ` GitHub accepts these permissions for this call: ${String(accepted)}.` : '')
    log.notice(message)
    return { status: 'permission-denied', permission, message }
  }
  const detail = isHttpError(err) ? `HTTP ${err.status}: ${firstLine(err.message)}` : err instanceof Error ? err.message : String(err)
  const message = `release-gate could not ${doing} (${detail}). The verdict is unaffected.`
  log.warning(message)
  return { status: 'failed', message }
}

const firstLine = (s: string) => s.split('\n', 1)[0] ?? ''
