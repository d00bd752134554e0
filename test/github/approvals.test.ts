import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { approvals as approvalsRule } from '../../src/chaos/admission/rules.js'
import type { AdmissionInput } from '../../src/chaos/admission/types.js'
import { ApprovalLookupError, lookupApprovals, type ApprovalRequirement } from '../../src/github/approvals.js'
import { useOpenApiServer, type OpenApiServer } from '../infra/github/openapi-server.js'
import { TOKEN } from './support.js'

const github = useOpenApiServer()
const HEAD = 'c0ffee0000000000000000000000000000000001'
const OLD = 'c0ffee0000000000000000000000000000000000'
const MERGE = 'feed000000000000000000000000000000000002'

type Review = { user: { login: string }; state: string; commit_id: string }

/** GitHub's documented review, with the fields this test is about replaced. */
function reviews(server: OpenApiServer, list: [login: string, state: string, commit: string][]): Review[] {
  const [example] = server.example<Review[]>('pulls/list-reviews')
  return list.map(([login, state, commit], i) => ({ ...structuredClone(example!), id: i + 1, state, commit_id: commit, user: { ...example!.user, login } }))
}

function pullRequestEnv(server: OpenApiServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rg-approvals-')), 'event.json')
  const repo = { id: 1, full_name: 'octocat/Hello-World' }
  writeFileSync(file, JSON.stringify({ pull_request: { number: 12, head: { ref: 'feature', sha: HEAD, repo }, base: { ref: 'main', repo } } }))
  return { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file, GITHUB_SHA: MERGE, GITHUB_API_URL: server.baseUrl, ...extra }
}

const requirement = (r: Partial<ApprovalRequirement> = {}): ApprovalRequirement => ({ users: [], teams: [], count: 1, ...r })
const fast = { msPerRetrySecond: 1, paceWrites: false }

function decide(required: ApprovalRequirement, given: AdmissionInput['approvals']) {
  const policy = { allowAll: false, maxDuration: '10m', approvals: required } as AdmissionInput['policy']
  return approvalsRule.check({ environment: 'staging', policy, target: {} as AdmissionInput['target'], now: new Date(), approvals: given })
}

describe('approvals read from GitHub', () => {
  it('counts the latest approving review on the PR head, ignores stale and withdrawn ones, and names each', async () => {
    const server = github.current
    server.respondTo('pulls/list-reviews', () => ({
      body: reviews(server, [
        ['alice', 'APPROVED', OLD], // approved code that has changed since
        ['bob', 'APPROVED', HEAD],
        ['carol', 'APPROVED', HEAD],
        ['carol', 'CHANGES_REQUESTED', HEAD], // withdrawn by her later review
        ['dave', 'APPROVED', HEAD],
        ['dave', 'COMMENTED', HEAD] // a comment keeps the approval
      ])
    }))
    const lookup = await lookupApprovals(requirement({ users: ['alice', 'Dave'] }), pullRequestEnv(server), fast)
    expect(lookup.approvers).toEqual([
      { login: 'bob', via: 'review of #12' },
      { login: 'dave', via: 'review of #12', counts: '@Dave' }
    ])
    expect(lookup.notes).toEqual([`#12: approval(s) by @alice ignored, given before the latest commit ${HEAD.slice(0, 12)}`])
    const [call] = server.callsTo('pulls/list-reviews')
    expect(call).toMatchObject({ pathParams: { owner: 'octocat', repo: 'Hello-World', pull_number: '12' }, authorization: `token ${TOKEN}` })

    expect(decide(requirement({ users: ['alice', 'Dave'] }), lookup)).toMatchObject({ outcome: 'allow' })
    const refused = decide(requirement({ users: ['alice', 'Dave'], count: 2 }), lookup)
    expect(refused).toEqual({
      outcome: 'refuse',
      reason: `1 of 2 required approval(s) from @alice, @Dave (approved by @bob (review of #12, not a required approver); @dave (review of #12, counts as @Dave); #12: approval(s) by @alice ignored, given before the latest commit ${HEAD.slice(0, 12)})`,
      fix: 'get an approving review on the PR\'s latest commit from @alice, @Dave, or change chaos.admission.staging.approvals'
    })
  })

  it('on a push, reads the PR merged as this commit and the deployment reviews of the named environment', async () => {
    const server = github.current
    server.respondTo('repos/list-pull-requests-associated-with-commit', () => {
      const [example] = server.example<Record<string, unknown>[]>('repos/list-pull-requests-associated-with-commit')
      // requested_teams: GitHub's own example lacks the `type` its schema requires.
      const pr = (number: number, merged: string | null, head: string) => ({ ...structuredClone(example!), number, merge_commit_sha: merged, requested_teams: [], head: { ...(example!.head as object), sha: head } })
      // #7 merely contains the commit; only #9 was merged as it.
      return { body: [pr(7, 'aaaa000000000000000000000000000000000000', 'bbbb000000000000000000000000000000000000'), pr(9, MERGE, HEAD)] }
    })
    server.respondTo('pulls/list-reviews', (call) => ({ body: call.pathParams.pull_number === '9' ? reviews(server, [['erin', 'APPROVED', HEAD]]) : reviews(server, [['mallory', 'APPROVED', 'bbbb000000000000000000000000000000000000']]) }))
    server.respondTo('actions/get-reviews-for-run', () => {
      const [example] = server.example<Record<string, unknown>[]>('actions/get-reviews-for-run')
      const review = (login: string, state: string, environment: string) => ({ ...structuredClone(example!), state, user: { ...(example!.user as object), login }, environments: [{ ...((example!.environments as object[])[0]), name: environment }] })
      return { body: [review('frank', 'approved', 'staging'), review('grace', 'approved', 'prod'), review('heidi', 'rejected', 'staging')] }
    })
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: MERGE, GITHUB_RUN_ID: '4242', GITHUB_API_URL: server.baseUrl }
    const lookup = await lookupApprovals(requirement({ environment: 'staging' }), env, fast)
    expect(lookup.approvers).toEqual([
      { login: 'erin', via: 'review of #9', counts: 'any reviewer' },
      { login: 'frank', via: 'deployment review for environment staging', counts: 'any reviewer' }
    ])
    expect(server.callsTo('pulls/list-reviews').map((c) => c.pathParams.pull_number)).toEqual(['9'])
    expect(server.callsTo('actions/get-reviews-for-run')[0]!.pathParams).toMatchObject({ run_id: '4242' })
  })

  it('counts members of a required team, and refuses with the fix when the token cannot see the team', async () => {
    const server = github.current
    server.respondTo('pulls/list-reviews', () => ({ body: reviews(server, [['ivan', 'APPROVED', HEAD], ['judy', 'APPROVED', HEAD]]) }))
    server.respondTo('teams/get-membership-for-user-in-org', (call) =>
      call.pathParams.username === 'ivan' ? { body: { ...server.example<object>('teams/get-membership-for-user-in-org'), state: 'active' } } : { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } })
    const lookup = await lookupApprovals(requirement({ teams: ['sre'] }), pullRequestEnv(server), fast)
    expect(lookup.approvers).toEqual([{ login: 'ivan', via: 'review of #12', counts: 'team octocat/sre' }, { login: 'judy', via: 'review of #12' }])
    expect(server.callsTo('teams/get-by-name').map((c) => c.pathParams)).toEqual([{ org: 'octocat', team_slug: 'sre' }])

    server.reset()
    server.respondTo('pulls/list-reviews', () => ({ body: reviews(server, [['ivan', 'APPROVED', HEAD]]) }))
    server.fail('teams/get-by-name', { status: 404, message: 'Not Found' })
    const failure = await lookupApprovals(requirement({ teams: ['acme/sre'] }), pullRequestEnv(server), fast).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApprovalLookupError)
    expect((failure as ApprovalLookupError).message).toBe('team acme/sre is not visible to the token (HTTP 404), so its members\' approvals cannot be counted')
    expect((failure as ApprovalLookupError).fix).toMatch(/GitHub App token with "members: read"/)
  })

  it('says which permission is missing when GitHub refuses to list the reviews', async () => {
    const server = github.current
    server.denyPermission('pulls/list-reviews', 'pull_requests=read')
    const failure = (await lookupApprovals(requirement(), pullRequestEnv(server), fast).catch((e: unknown) => e)) as ApprovalLookupError
    expect(failure.message).toBe('could not read the reviews of #12: HTTP 403 Resource not accessible by integration - https://docs.github.com/rest')
    expect(failure.fix).toBe('give the job `permissions: { pull-requests: read }` (and a token that can see the repository)')
    expect(decide(requirement(), { failed: failure.message, fix: failure.fix })).toMatchObject({ outcome: 'refuse', reason: expect.stringContaining('could not be checked: could not read the reviews of #12') })
  })

  it('refuses to guess without a token', async () => {
    await expect(lookupApprovals(requirement(), { GITHUB_REPOSITORY: 'octocat/Hello-World' })).rejects.toThrow('approvals are read from GitHub, but GITHUB_TOKEN is not set')
  })
})
