import { readFileSync } from 'node:fs'
import { DEFAULT_API_URL } from './octokit.js'

/** The run as the runner describes it: environment variables plus the event payload file. */
export interface EventContext {
  eventName: string
  owner: string
  repo: string
  /** GITHUB_SHA. On pull_request events this is the test merge commit, which the PR page does not show. */
  sha: string
  /**
   * The commit reports belong on: the PR head on pull-request events, the run's head on workflow_run,
   * otherwise GITHUB_SHA. Check runs and statuses on the merge commit never appear on the PR.
   */
  headSha: string
  ref: string
  pullRequest?: PullRequestRef
  /** Whether code or input from outside the repository drives this run; see `trust`. */
  untrusted: boolean
  /** Why the run counts as (un)trusted, for logs. */
  trustReason: string
  /** Workflow name (GITHUB_WORKFLOW) and job id (GITHUB_JOB): together they key the sticky comment. */
  workflow: string
  job: string
  runId?: string
  /** Link to this run's page, for check-run details_url and status target_url. */
  runUrl?: string
  serverUrl: string
  apiUrl: string
}

export interface PullRequestRef {
  number: number
  headRef: string
  baseRef: string
  headSha?: string
  /** owner/name of the repository the head branch lives in; absent when that fork was deleted. */
  headRepo?: string
  baseRepo?: string
}

export class EventContextError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EventContextError'
  }
}

/** Events whose payload carries `pull_request` and which run the PR head's workflow file. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment'])

/** The token GitHub calls use: GITHUB_TOKEN, else the action's github-token input. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env['INPUT_GITHUB-TOKEN'] || undefined
}

export function readEventContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) throw new EventContextError(`GITHUB_REPOSITORY must be "owner/name", got ${JSON.stringify(env.GITHUB_REPOSITORY ?? '')}`)
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const payload = readEventPayload(env.GITHUB_EVENT_PATH)
  const sha = env.GITHUB_SHA ?? ''
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const pullRequest = pullRequestOf(eventName, payload, env)
  const workflowRun = object(payload.workflow_run)
  const { untrusted, reason } = trust(eventName, payload)
  const runId = env.GITHUB_RUN_ID || undefined
  return {
    eventName,
    owner,
    repo,
    sha,
    headSha: pullRequest?.headSha ?? string(workflowRun?.head_sha) ?? sha,
    ref: env.GITHUB_REF ?? '',
    ...(pullRequest ? { pullRequest } : {}),
    untrusted,
    trustReason: reason,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    ...(runId ? { runId, runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` } : {}),
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '')
  }
}

/**
 * Untrusted: a pull_request (or review) event whose head repository is not the base repository (a
 * fork, or a fork since deleted); any pull_request_target event, which runs with the base
 * repository's token and secrets while the PR is someone else's; a workflow_run started by a fork's
 * pull request, the classic way fork results reach a privileged workflow.
 */
export function trust(eventName: string, payload: Record<string, unknown>): { untrusted: boolean; reason: string } {
  if (eventName === 'pull_request_target')
    return { untrusted: true, reason: 'pull_request_target runs with the base repository token and secrets for a pull request it does not own' }
  if (PULL_REQUEST_EVENTS.has(eventName)) {
    const pr = object(payload.pull_request)
    const head = object(object(pr?.head)?.repo)
    const base = object(object(pr?.base)?.repo)
    if (!pr) return { untrusted: true, reason: `${eventName} event without a pull_request in its payload` }
    if (!head) return { untrusted: true, reason: `${eventName} from a repository that no longer exists (deleted fork)` }
    if (!sameRepository(head, base)) return { untrusted: true, reason: `${eventName} from fork ${String(head.full_name)} into ${String(base?.full_name)}` }
    return { untrusted: false, reason: `${eventName} from a branch of ${String(base?.full_name)}` }
  }
  if (eventName === 'workflow_run') {
    const run = object(payload.workflow_run)
    const head = object(run?.head_repository)
    const base = object(run?.repository)
    if (run && (run.event === 'pull_request' || run.event === 'pull_request_target') && !sameRepository(head, base))
      return { untrusted: true, reason: `workflow_run triggered by a pull request from fork ${String(head?.full_name)}` }
    return { untrusted: false, reason: 'workflow_run from a run of this repository' }
  }
  return { untrusted: false, reason: `${eventName || 'a run'} of this repository` }
}

/** Repository ids survive renames; names are the fallback for hand-written payloads. */
function sameRepository(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (!a || !b) return false
  if (typeof a.id === 'number' && typeof b.id === 'number') return a.id === b.id
  return typeof a.full_name === 'string' && typeof b.full_name === 'string' && a.full_name.toLowerCase() === b.full_name.toLowerCase()
}

function pullRequestOf(eventName: string, payload: Record<string, unknown>, env: NodeJS.ProcessEnv): PullRequestRef | undefined {
  const pr = object(payload.pull_request)
  if (pr && typeof pr.number === 'number') {
    const head = object(pr.head)
    const base = object(pr.base)
    return {
      number: pr.number,
      headRef: string(head?.ref) ?? env.GITHUB_HEAD_REF ?? '',
      baseRef: string(base?.ref) ?? env.GITHUB_BASE_REF ?? '',
      ...optional('headSha', string(head?.sha)),
      ...optional('headRepo', string(object(head?.repo)?.full_name)),
      ...optional('baseRepo', string(object(base?.repo)?.full_name))
    }
  }
  // issue_comment on a pull request: the issue is the PR.
  const issue = object(payload.issue)
  if (eventName === 'issue_comment' && issue?.pull_request && typeof issue.number === 'number')
    return { number: issue.number, headRef: env.GITHUB_HEAD_REF ?? '', baseRef: env.GITHUB_BASE_REF ?? '' }
  // workflow_run lists the PRs only when they come from this repository.
  const run = object(payload.workflow_run)
  const runPr = Array.isArray(run?.pull_requests) ? object(run.pull_requests[0]) : undefined
  if (runPr && typeof runPr.number === 'number')
    return {
      number: runPr.number,
      headRef: string(object(runPr.head)?.ref) ?? '',
      baseRef: string(object(runPr.base)?.ref) ?? '',
      ...optional('headSha', string(object(runPr.head)?.sha))
    }
  return undefined
}

/** The event payload the runner wrote to GITHUB_EVENT_PATH; {} without one. Throws EventContextError when unreadable or not JSON. */
export function readEventPayload(file: string | undefined): Record<string, unknown> {
  if (!file) return {}
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new EventContextError(`cannot read the event payload GITHUB_EVENT_PATH=${file}: ${(err as Error).message}`)
  }
  try {
    return object(JSON.parse(text)) ?? {}
  } catch (err) {
    throw new EventContextError(`the event payload ${file} is not JSON: ${(err as Error).message}`)
  }
}

const object = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)
const string = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>))
