import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readEventContext } from '../../src/github/context.js'
import { loadGitHubDescription, OpenApiValidator } from '../infra/github/openapi-description.js'

const EVENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/events')
const MERGE_SHA = 'e8b6f4d1c0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5'
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'

/** The variables the runner sets for a job, with the event payload file it writes. */
function runnerEnv(eventName: string, payloadFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GITHUB_REPOSITORY: 'octocat/Hello-World',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: payloadFile,
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: eventName === 'push' ? 'refs/heads/master' : 'refs/pull/1347/merge',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'gate',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    ...extra
  }
}

const fixture = (name: string) => path.join(EVENTS, name)

describe('event fixtures', () => {
  it("conform to GitHub's published webhook schemas (Actions payloads are webhook payloads)", () => {
    const validator = new OpenApiValidator(loadGitHubDescription())
    const schemas = {
      'pull-request-fork.json': 'webhook-pull-request-synchronize',
      'pull-request-same-repo.json': 'webhook-pull-request-synchronize',
      'push.json': 'webhook-push',
      'workflow-run-fork.json': 'webhook-workflow-run-completed'
    }
    for (const [file, schema] of Object.entries(schemas)) expect(validator.checkComponent(schema, JSON.parse(readFileSync(fixture(file), 'utf8'))), file).toEqual([])
  })
})

describe('readEventContext', () => {
  it('pull_request from a fork: untrusted, reports on the PR head rather than the merge commit', () => {
    const ctx = readEventContext(runnerEnv('pull_request', fixture('pull-request-fork.json')))
    expect(ctx).toMatchObject({
      eventName: 'pull_request',
      owner: 'octocat',
      repo: 'Hello-World',
      sha: MERGE_SHA,
      headSha: HEAD_SHA,
      untrusted: true,
      trustReason: 'pull_request from fork monalisa/Hello-World into octocat/Hello-World',
      pullRequest: { number: 1347, headRef: 'new-topic', baseRef: 'master', headSha: HEAD_SHA, headRepo: 'monalisa/Hello-World', baseRepo: 'octocat/Hello-World' },
      workflow: 'CI',
      job: 'gate',
      runUrl: 'https://github.com/octocat/Hello-World/actions/runs/4242'
    })
  })

  it('pull_request from a branch of the same repository: trusted', () => {
    const ctx = readEventContext(runnerEnv('pull_request', fixture('pull-request-same-repo.json')))
    expect(ctx.untrusted).toBe(false)
    expect(ctx.pullRequest).toMatchObject({ number: 1347, headRepo: 'octocat/Hello-World' })
  })

  it('pull_request_target: untrusted whether or not the PR comes from a fork', () => {
    for (const file of ['pull-request-fork.json', 'pull-request-same-repo.json']) {
      const ctx = readEventContext(runnerEnv('pull_request_target', fixture(file)))
      expect(ctx.untrusted, file).toBe(true)
      expect(ctx.trustReason).toMatch(/^pull_request_target runs with the base repository token/)
      expect(ctx.pullRequest?.number).toBe(1347)
    }
  })

  it('pull_request whose fork was deleted: untrusted', () => {
    const payload = JSON.parse(readFileSync(fixture('pull-request-fork.json'), 'utf8'))
    // GitHub sends null here once the fork is gone, though its description does not say so
    // (github/rest-api-description#161 and #424).
    payload.pull_request.head.repo = null
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rg-event-')), 'event.json')
    writeFileSync(file, JSON.stringify(payload))
    const ctx = readEventContext(runnerEnv('pull_request', file))
    expect(ctx).toMatchObject({ untrusted: true, trustReason: 'pull_request from a repository that no longer exists (deleted fork)' })
  })

  it('push: trusted, no pull request, reports on GITHUB_SHA', () => {
    const ctx = readEventContext(runnerEnv('push', fixture('push.json'), { GITHUB_SHA: HEAD_SHA }))
    expect(ctx).toMatchObject({ eventName: 'push', untrusted: false, headSha: HEAD_SHA, ref: 'refs/heads/master' })
    expect(ctx.pullRequest).toBeUndefined()
  })

  it('workflow_run started by a fork pull request: untrusted, reports on the run head', () => {
    const payload = JSON.parse(readFileSync(fixture('workflow-run-fork.json'), 'utf8'))
    const ctx = readEventContext(runnerEnv('workflow_run', fixture('workflow-run-fork.json')))
    expect(ctx).toMatchObject({ untrusted: true, trustReason: 'workflow_run triggered by a pull request from fork monalisa/Hello-World', headSha: payload.workflow_run.head_sha })
    // GitHub lists no pull requests on a fork's workflow_run.
    expect(ctx.pullRequest).toBeUndefined()
  })

  it('GHES: server and API URLs come from the runner', () => {
    const ctx = readEventContext(
      runnerEnv('push', fixture('push.json'), { GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })
    )
    expect(ctx).toMatchObject({ serverUrl: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3', runUrl: 'https://ghe.example.com/octocat/Hello-World/actions/runs/4242' })
  })

  it('says which variable or file is wrong', () => {
    expect(() => readEventContext({ ...runnerEnv('push', fixture('push.json')), GITHUB_REPOSITORY: 'no-slash' })).toThrow('GITHUB_REPOSITORY must be "owner/name", got "no-slash"')
    const missing = path.join(tmpdir(), 'rg-no-such-event.json')
    expect(() => readEventContext(runnerEnv('push', missing))).toThrow(`cannot read the event payload GITHUB_EVENT_PATH=${missing}`)
    const bad = path.join(mkdtempSync(path.join(tmpdir(), 'rg-event-')), 'event.json')
    writeFileSync(bad, '{"action": ')
    expect(() => readEventContext(runnerEnv('push', bad))).toThrow(`the event payload ${bad} is not JSON`)
  })
})
