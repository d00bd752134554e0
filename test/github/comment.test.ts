import { describe, expect, it } from 'vitest'
import { commentBody, publishStickyComment, stickyCommentMarker } from '../../src/github/comment.js'
import { COMMENT_MAX_CHARS } from '../../src/github/limits.js'
import type { OpenApiServer, RecordedCall } from '../infra/github/openapi-server.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { clientFor, manyFindings, RecordingLog, reportOf } from './support.js'

const server = useOpenApiServer()
const pr = { owner: 'octocat', repo: 'Hello-World', issueNumber: 1347 }
const names = { workflow: 'CI', job: 'gate' }

interface Comment extends Record<string, unknown> {
  id: number
  body: string
}

/**
 * A PR's comment thread behind the three comment operations: GitHub's example comment as the
 * shape, pages of `per_page` with Link headers the way GitHub paginates. Every reply is checked
 * against the documented response by the server.
 */
function commentThread(s: OpenApiServer, initial: string[] = []) {
  const example = s.validator.successResponse(s.validator.operation('issues/create-comment')).body as Record<string, unknown>
  let nextId = 100
  const make = (body: string): Comment => {
    const id = nextId++
    return { ...example, id, body, html_url: `https://github.com/octocat/Hello-World/pull/1347#issuecomment-${id}` }
  }
  const comments = initial.map(make)
  s.respondTo('issues/list-comments', (call: RecordedCall) => {
    const perPage = Number(call.query.per_page ?? 30)
    const page = Number(call.query.page ?? 1)
    const last = Math.max(1, Math.ceil(comments.length / perPage))
    const link = (p: number, rel: string) => `<${s.baseUrl}/repos/${pr.owner}/${pr.repo}/issues/${pr.issueNumber}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])]
    return { body: comments.slice((page - 1) * perPage, page * perPage), ...(links.length ? { headers: { link: links.join(', ') } } : {}) }
  })
  s.respondTo('issues/create-comment', (call) => {
    const comment = make((call.body as { body: string }).body)
    comments.push(comment)
    return { status: 201, body: comment }
  })
  s.respondTo('issues/update-comment', (call) => {
    const comment = comments.find((c) => c.id === Number(call.pathParams.comment_id))!
    comment.body = (call.body as { body: string }).body
    return { body: comment }
  })
  return comments
}

const ops = (s: OpenApiServer) => s.calls.map((c) => c.operationId)

describe('the sticky PR comment', () => {
  it('is created on the first run and updated in place on the next', async () => {
    const thread = commentThread(server.current, ['LGTM', 'please rebase'])
    const log = new RecordingLog()
    const octokit = clientFor(server.current, log)

    const first = await publishStickyComment(octokit, pr, reportOf(manyFindings(3)), { ...names, log })
    expect(ops(server.current)).toEqual(['issues/list-comments', 'issues/create-comment'])
    expect(server.current.calls[0]!.query).toEqual({ per_page: '100' })
    expect(thread).toHaveLength(3)
    expect(thread[2]!.body.startsWith('<!-- release-gate:CI:gate -->\n## ❌ release-gate: fail')).toBe(true)
    expect(first).toEqual({ status: 'published', id: 102, url: 'https://github.com/octocat/Hello-World/pull/1347#issuecomment-102', requests: 2 })

    server.current.calls.length = 0
    const second = await publishStickyComment(octokit, pr, reportOf([], 'pass'), { ...names, log })
    expect(ops(server.current)).toEqual(['issues/list-comments', 'issues/update-comment'])
    expect(server.current.calls[1]!.pathParams.comment_id).toBe('102')
    expect(thread).toHaveLength(3)
    expect(thread[2]!.body).toContain('## ✅ release-gate: pass')
    expect(second).toMatchObject({ status: 'published', id: 102 })
    expect(log.at('info')).toEqual([expect.stringContaining('created the PR comment'), expect.stringContaining('updated the PR comment')])
  })

  it('pages through long threads to find its marker', async () => {
    const others = Array.from({ length: 130 }, (_, i) => `comment ${i}`)
    const thread = commentThread(server.current, [...others, `${stickyCommentMarker('CI', 'gate')}\nold report`, 'later'])
    await publishStickyComment(clientFor(server.current), pr, reportOf([], 'pass'), { ...names, log: new RecordingLog() })
    expect(server.current.calls.map((c) => `${c.operationId} ${c.query.page ?? '1'}`)).toEqual(['issues/list-comments 1', 'issues/list-comments 2', 'issues/update-comment 1'])
    expect(thread[130]!.body).toContain('release-gate: pass')
    expect(thread).toHaveLength(132)
  })

  it('writes nothing when the comment already shows this report', async () => {
    const report = reportOf(manyFindings(2))
    commentThread(server.current, [commentBody(report, stickyCommentMarker('CI', 'gate'))])
    const outcome = await publishStickyComment(clientFor(server.current), pr, report, { ...names, log: new RecordingLog() })
    expect(ops(server.current)).toEqual(['issues/list-comments'])
    expect(outcome).toMatchObject({ status: 'published', id: 100, requests: 1 })
  })

  it('keeps one comment per workflow+job and ignores replies that quote it', async () => {
    const marker = stickyCommentMarker('CI', 'gate')
    const thread = commentThread(server.current, [`> ${marker}\n> quoted`, `${stickyCommentMarker('CI', 'other-job')}\nother`])
    await publishStickyComment(clientFor(server.current), pr, reportOf([]), { ...names, log: new RecordingLog() })
    expect(ops(server.current)).toEqual(['issues/list-comments', 'issues/create-comment'])
    expect(thread.map((c) => c.body.split('\n')[0])).toEqual([`> ${marker}`, '<!-- release-gate:CI:other-job -->', marker])
  })

  it('escapes names so the marker stays one HTML comment and names never collide', () => {
    expect(stickyCommentMarker('CI', 'gate')).toBe('<!-- release-gate:CI:gate -->')
    const tricky = stickyCommentMarker('deploy --> prod', 'a:b')
    expect(tricky).toBe('<!-- release-gate:deploy -%2D%3E prod:a%3Ab -->')
    expect(tricky.slice(4, -3)).not.toContain('--')
    expect(stickyCommentMarker('a:b', 'c')).not.toBe(stickyCommentMarker('a', 'b:c'))
  })

  it('fits a huge report into 65,536 characters', async () => {
    commentThread(server.current)
    const huge = reportOf(manyFindings(2), 'fail', { summary: 'y'.repeat(200_000) })
    await publishStickyComment(clientFor(server.current), pr, huge, { ...names, log: new RecordingLog() })
    const body = (server.current.callsTo('issues/create-comment')[0]!.body as { body: string }).body
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS - 300)
    expect(body.startsWith('<!-- release-gate:CI:gate -->\n')).toBe(true)
    expect(body).toContain("(GitHub's comment limit is 65,536)")
  })

  it('turns a 403 into a notice naming pull-requests: write', async () => {
    commentThread(server.current)
    server.current.denyPermission('issues/create-comment', 'issues=write; pull_requests=write')
    const log = new RecordingLog()
    const outcome = await publishStickyComment(clientFor(server.current, log), pr, reportOf([]), { ...names, log })
    expect(outcome).toMatchObject({ status: 'permission-denied', permission: 'pull-requests: write' })
    expect(log.at('notice')[0]).toContain('could not create the comment on pull request #1347: the token lacks `pull-requests: write`')
    expect(log.at('notice')[0]).toContain('issues=write; pull_requests=write')
  })
})
