import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readEventContext } from '../../src/github/context.js'
import { blobLinker, publishReport } from '../../src/github/publish.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { clientFor, manyFindings, RecordingLog, reportOf } from './support.js'

const server = useOpenApiServer()
const EVENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/events')
const HEAD_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'

const contextFor = (eventName: string, file: string) =>
  readEventContext({
    GITHUB_REPOSITORY: 'octocat/Hello-World',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path.join(EVENTS, file),
    GITHUB_SHA: 'e8b6f4d1c0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'gate',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com'
  })

describe('publishReport', () => {
  it('on a fork PR with a read-only token: notices for checks and the comment, the status still posted, nothing thrown', async () => {
    const ctx = contextFor('pull_request', 'pull-request-fork.json')
    expect(ctx.untrusted).toBe(true)
    server.current.denyPermission('checks/create', 'checks=write')
    server.current.denyPermission('issues/create-comment', 'issues=write; pull_requests=write')
    const log = new RecordingLog()
    const report = reportOf(manyFindings(80))
    const result = await publishReport(clientFor(server.current, log), ctx, report, { commitStatus: true, pathPrefix: 'services/pets', log })

    expect(result.checkRun).toMatchObject({ status: 'permission-denied', permission: 'checks: write' })
    expect(result.comment).toMatchObject({ status: 'permission-denied', permission: 'pull-requests: write' })
    expect(result.commitStatus).toMatchObject({ status: 'published' })
    expect(log.at('notice')).toHaveLength(2)
    expect(log.at('warning')).toEqual([])
    expect(report.verdict).toBe('fail')
    expect(server.current.calls.map((c) => `${c.operationId} ${c.status}`)).toEqual([
      'checks/create 403',
      'repos/create-commit-status 201',
      'issues/list-comments 200',
      'issues/create-comment 403'
    ])
    // Reports go on the PR head, not on the merge commit GITHUB_SHA names.
    expect(server.current.callsTo('checks/create')[0]!.body).toMatchObject({ head_sha: HEAD_SHA, details_url: 'https://github.com/octocat/Hello-World/actions/runs/4242', external_id: '4242' })
    expect(server.current.callsTo('repos/create-commit-status')[0]!.pathParams.sha).toBe(HEAD_SHA)
    expect(server.current.callsTo('issues/list-comments')[0]!.pathParams.issue_number).toBe('1347')
  })

  it('on push: a check run with annotations under the working directory, and no comment', async () => {
    const ctx = { ...contextFor('push', 'push.json'), headSha: HEAD_SHA }
    const result = await publishReport(clientFor(server.current), ctx, reportOf(manyFindings(2)), { pathPrefix: 'services/pets', log: new RecordingLog() })
    expect(result.checkRun).toMatchObject({ status: 'published', requests: 1 })
    expect(result.comment).toEqual({ status: 'skipped', reason: 'no pull request in a push event' })
    expect(result.commitStatus).toBeUndefined()
    const body = server.current.callsTo('checks/create')[0]!.body as { output: { summary: string; annotations: { path: string }[] } }
    expect(body.output.annotations.map((a) => a.path)).toEqual(['services/pets/proto/acme/v0/api.proto', 'services/pets/proto/acme/v1/api.proto'])
    expect(body.output.summary).toContain(`(https://github.com/octocat/Hello-World/blob/${HEAD_SHA}/services/pets/proto/acme/v0/api.proto#L1-L4)`)
  })

  it('links findings to their lines at the reported commit', () => {
    const link = blobLinker({ serverUrl: 'https://ghe.example.com', owner: 'o', repo: 'r', headSha: 'abc' })
    expect(link({ rule: 'R', stage: 'contract', severity: 'error', message: 'm', path: 'dir/a b#.proto', line: 3 })).toBe('https://ghe.example.com/o/r/blob/abc/dir/a%20b%23.proto#L3')
    expect(link({ rule: 'R', stage: 'gates', severity: 'error', message: 'm' })).toBeUndefined()
  })
})
