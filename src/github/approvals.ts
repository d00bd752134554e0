/**
 * Who approved what a chaos run is about to exercise: approving reviews of the pull request(s) the
 * commit belongs to, and, when the policy names a GitHub environment, the reviewers who approved this
 * workflow run's deployment to it (the environment's required-reviewers protection rule).
 *
 * A review counts only when it is the reviewer's latest decision and was given on the PR's current
 * head commit: an approval of code that has changed since does not approve the change.
 */
import { githubToken, readEventContext, type EventContext } from './context.js'
import { githubClient, type GitHubClient, type GitHubClientOptions } from './octokit.js'
import { isHttpError } from './outcome.js'

export interface ApprovalRequirement {
  users: string[]
  /** `slug` (an organisation team of the repository owner) or `org/slug`. */
  teams: string[]
  count: number
  /** GitHub environment whose deployment approvals for this run also count. */
  environment?: string
}

export interface Approver {
  login: string
  /** Where the approval was given, e.g. "review of #12" or "deployment review for environment staging". */
  via: string
  /** Why the approver counts ("@alice", "team acme/sre", "any reviewer"); absent when they do not. */
  counts?: string
}

export interface ApprovalLookup {
  approvers: Approver[]
  /** What was looked at and what was ignored (stale approvals, no PR found), for the report. */
  notes: string[]
}

export class ApprovalLookupError extends Error {
  constructor(message: string, readonly fix: string) {
    super(message)
    this.name = 'ApprovalLookupError'
  }
}

interface PullRequestUnderReview {
  number: number
  headSha: string
}

export async function lookupApprovals(requirement: ApprovalRequirement, env: NodeJS.ProcessEnv,
  clientOptions: Omit<GitHubClientOptions, 'env' | 'baseUrl'> = {}): Promise<ApprovalLookup> {
  const token = githubToken(env)
  if (!token || !env.GITHUB_REPOSITORY)
    throw new ApprovalLookupError(`approvals are read from GitHub, but ${!token ? 'GITHUB_TOKEN' : 'GITHUB_REPOSITORY'} is not set`,
      'run inside GitHub Actions with the github-token input, or set GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_SHA for the CLI')
  const event = readEventContext(env)
  const octokit = githubClient(token, { ...clientOptions, baseUrl: event.apiUrl, env })
  const notes: string[] = []
  const approvals = new Map<string, string>()
  const add = (login: string, via: string) => {
    if (!approvals.has(login.toLowerCase())) approvals.set(login.toLowerCase(), `${login}\u0000${via}`)
  }

  const pulls = await pullRequestsOf(octokit, event)
  if (pulls.length === 0) notes.push(`no pull request found for ${event.sha ? `commit ${event.sha.slice(0, 12)}` : 'this run'}`)
  for (const pr of pulls) {
    const { approved, stale } = await approvingReviews(octokit, event, pr)
    for (const login of approved) add(login, `review of #${pr.number}`)
    if (stale.length > 0) notes.push(`#${pr.number}: approval(s) by ${stale.map((l) => `@${l}`).join(', ')} ignored, given before the latest commit ${pr.headSha.slice(0, 12)}`)
  }
  if (requirement.environment !== undefined) {
    if (!event.runId) notes.push(`no GITHUB_RUN_ID, so deployment reviews for environment ${requirement.environment} were not read`)
    else for (const login of await deploymentApprovers(octokit, event, event.runId, requirement.environment)) add(login, `deployment review for environment ${requirement.environment}`)
  }

  const approvers: Approver[] = []
  for (const entry of approvals.values()) {
    const [login, via] = entry.split('\u0000') as [string, string]
    const counts = await whyCounts(octokit, event, requirement, login)
    approvers.push({ login, via, ...(counts ? { counts } : {}) })
  }
  return { approvers, notes }
}

/** The PR of a pull-request event; otherwise the PRs GitHub associates with the commit (a merged PR for a push of its merge commit). */
async function pullRequestsOf(octokit: GitHubClient, event: EventContext): Promise<PullRequestUnderReview[]> {
  if (event.pullRequest) {
    const headSha = event.pullRequest.headSha ?? (await call(() => octokit.rest.pulls.get({ owner: event.owner, repo: event.repo, pull_number: event.pullRequest!.number }), 'read the pull request', 'pull-requests: read')).data.head.sha
    return [{ number: event.pullRequest.number, headSha }]
  }
  if (!event.sha) return []
  const { data } = await call(() => octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: event.owner, repo: event.repo, commit_sha: event.sha, per_page: 100 }),
    `find the pull request of commit ${event.sha.slice(0, 12)}`, 'contents: read')
  // Only a PR whose head is this commit, or that was merged as this commit, was reviewed as this code.
  return data.filter((pr) => pr.head.sha === event.sha || pr.merge_commit_sha === event.sha).map((pr) => ({ number: pr.number, headSha: pr.head.sha }))
}

async function approvingReviews(octokit: GitHubClient, event: EventContext, pr: PullRequestUnderReview): Promise<{ approved: string[]; stale: string[] }> {
  const reviews = await call(() => octokit.paginate(octokit.rest.pulls.listReviews, { owner: event.owner, repo: event.repo, pull_number: pr.number, per_page: 100 }),
    `read the reviews of #${pr.number}`, 'pull-requests: read')
  // Reviews come oldest first; a comment-only review does not change a reviewer's decision.
  const latest = new Map<string, { state: string; commit?: string | null }>()
  for (const review of reviews) {
    const login = review.user?.login
    if (!login || review.state === 'COMMENTED' || review.state === 'PENDING') continue
    latest.set(login, { state: review.state, commit: review.commit_id })
  }
  const approved: string[] = []
  const stale: string[] = []
  for (const [login, { state, commit }] of latest) {
    if (state !== 'APPROVED') continue
    if (commit === pr.headSha) approved.push(login)
    else stale.push(login)
  }
  return { approved, stale }
}

async function deploymentApprovers(octokit: GitHubClient, event: EventContext, runId: string, environment: string): Promise<string[]> {
  const { data } = await call(() => octokit.rest.actions.getReviewsForRun({ owner: event.owner, repo: event.repo, run_id: Number(runId) }),
    `read the deployment reviews of run ${runId}`, 'actions: read')
  return data.filter((r) => r.state === 'approved' && r.environments.some((e) => e.name === environment)).map((r) => r.user.login)
}

async function whyCounts(octokit: GitHubClient, event: EventContext, requirement: ApprovalRequirement, login: string): Promise<string | undefined> {
  if (requirement.users.length === 0 && requirement.teams.length === 0) return 'any reviewer'
  const named = requirement.users.find((u) => u.toLowerCase() === login.toLowerCase())
  if (named) return `@${named}`
  for (const team of requirement.teams) {
    const [org, slug] = team.includes('/') ? (team.split('/', 2) as [string, string]) : [event.owner, team]
    if (await isTeamMember(octokit, org, slug, login)) return `team ${org}/${slug}`
  }
  return undefined
}

const visibleTeams = new WeakMap<GitHubClient, Set<string>>()

async function isTeamMember(octokit: GitHubClient, org: string, slug: string, login: string): Promise<boolean> {
  // GitHub answers 404 both for "not a member" and for "this token cannot see the team": tell them apart first.
  const seen = visibleTeams.get(octokit) ?? new Set<string>()
  visibleTeams.set(octokit, seen)
  if (!seen.has(`${org}/${slug}`)) {
    try {
      await octokit.rest.teams.getByName({ org, team_slug: slug })
      seen.add(`${org}/${slug}`)
    } catch (error) {
      if (isHttpError(error) && (error.status === 404 || error.status === 403))
        throw new ApprovalLookupError(`team ${org}/${slug} is not visible to the token (HTTP ${error.status}), so its members' approvals cannot be counted`,
          `pass a github-token that can read the organisation's teams (a GitHub App token with "members: read", or a token with read:org); the workflow's GITHUB_TOKEN cannot; or name the users instead`)
      throw lookupError(error, `read team ${org}/${slug}`, 'members: read')
    }
  }
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login })
    return data.state === 'active'
  } catch (error) {
    if (isHttpError(error) && error.status === 404) return false
    throw lookupError(error, `read the membership of @${login} in team ${org}/${slug}`, 'members: read')
  }
}

async function call<T>(request: () => Promise<T>, doing: string, permission: string): Promise<T> {
  try {
    return await request()
  } catch (error) {
    throw lookupError(error, doing, permission)
  }
}

function lookupError(error: unknown, doing: string, permission: string): unknown {
  if (!isHttpError(error)) return error
  return new ApprovalLookupError(`could not ${doing}: HTTP ${error.status} ${error.message.split('\n', 1)[0]}`,
    error.status === 403 || error.status === 404 ? `give the job \`permissions: { ${permission} }\` (and a token that can see the repository)` : 'retry the run; GitHub did not answer')
}
