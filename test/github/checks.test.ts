import { describe, expect, it } from 'vitest'
import { checkConclusion, checkOutput, publishCheckRun, publishCommitStatus, statusDescription, toAnnotations } from '../../src/github/checks.js'
import { CHECK_OUTPUT_MAX_CHARS, truncateWithNote, truncationNote } from '../../src/github/limits.js'
import type { Finding } from '../../src/report/findings.js'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { clientFor, manyFindings, RecordingLog, reportOf, TOKEN } from './support.js'

const server = useOpenApiServer()
const target = { owner: 'octocat', repo: 'Hello-World', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' }

type Body = { status?: string; conclusion?: string; output: { title: string; summary: string; text: string; annotations?: Record<string, unknown>[] } }

describe('check runs', () => {
  it('sends 120 findings as create + 2 updates of at most 50 annotations, concluding with the last batch', async () => {
    const log = new RecordingLog()
    const findings = manyFindings(120)
    const outcome = await publishCheckRun(clientFor(server.current, log), target, reportOf(findings), { name: 'release-gate', detailsUrl: 'https://github.com/octocat/Hello-World/actions/runs/1', log })

    const calls = server.current.calls
    expect(calls.map((c) => c.operationId)).toEqual(['checks/create', 'checks/update', 'checks/update'])
    // The example check run GitHub's description answers create with has id 4; updates must address it.
    expect(calls.slice(1).map((c) => c.pathParams.check_run_id)).toEqual(['4', '4'])
    expect(calls.every((c) => c.authorization === `token ${TOKEN}`)).toBe(true)
    const [create, first, last] = calls.map((c) => c.body as Body)
    expect(create!.status).toBe('in_progress')
    expect(create!.conclusion).toBeUndefined()
    expect(first!.conclusion).toBeUndefined()
    expect(last).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect([create, first, last].map((b) => b!.output.annotations!.length)).toEqual([50, 50, 20])

    const sent = [create, first, last].flatMap((b) => b!.output.annotations!)
    expect(new Set(sent.map((a) => `${a.path}:${a.start_line}`)).size).toBe(120)
    expect(sent.map((a) => a.start_line).sort((a, b) => Number(a) - Number(b))).toEqual(findings.map((f) => f.line))
    // Most severe first, so a run cut short still carries the errors.
    const levels = sent.map((a) => a.annotation_level)
    expect(levels.lastIndexOf('failure')).toBeLessThan(levels.indexOf('warning'))
    expect(levels.lastIndexOf('warning')).toBeLessThan(levels.indexOf('notice'))
    expect(outcome).toEqual({ status: 'published', id: 4, url: 'https://github.com/github/hello-world/runs/4', requests: 3 })
    expect(log.at('info').join('\n')).toContain('120 annotation(s) in 3 request(s)')
  })

  it('maps findings to annotations: level, rule as title, columns only on one line, whole files at line 1', () => {
    const findings: Finding[] = [
      { rule: 'FIELD_NO_DELETE', stage: 'contract', severity: 'error', message: 'field 3 deleted', help: 'reserve it', path: 'a.proto', line: 12, column: 1, endLine: 17, endColumn: 2 },
      { rule: 'ENUM_ZERO', stage: 'contract', severity: 'warning', message: 'zero value', path: 'b.proto', line: 4, column: 5, endLine: 4, endColumn: 20 },
      { rule: 'COMMENT', stage: 'contract', severity: 'notice', message: 'uncommented', path: 'c.proto' },
      { rule: 'BACKWARDS', stage: 'contract', severity: 'notice', message: 'end before start', path: 'd.proto', line: 2, column: 9, endColumn: 3 },
      { rule: 'gate:error-rate', stage: 'gates', severity: 'error', message: 'no file' }
    ]
    expect(toAnnotations(findings, 'services/pets')).toEqual([
      { path: 'services/pets/a.proto', start_line: 12, end_line: 17, annotation_level: 'failure', title: 'FIELD_NO_DELETE', message: 'field 3 deleted\nreserve it' },
      { path: 'services/pets/b.proto', start_line: 4, end_line: 4, start_column: 5, end_column: 20, annotation_level: 'warning', title: 'ENUM_ZERO', message: 'zero value' },
      { path: 'services/pets/c.proto', start_line: 1, end_line: 1, annotation_level: 'notice', title: 'COMMENT', message: 'uncommented' },
      { path: 'services/pets/d.proto', start_line: 2, end_line: 2, start_column: 9, annotation_level: 'notice', title: 'BACKWARDS', message: 'end before start' }
    ])
  })

  it('concludes in one request when the findings fit, and maps every verdict', async () => {
    const log = new RecordingLog()
    const octokit = clientFor(server.current, log)
    const cases = [
      ['pass', false, 'success'],
      ['fail', false, 'failure'],
      ['inconclusive', false, 'action_required'],
      ['skipped', true, 'neutral'],
      ['skipped', false, 'action_required']
    ] as const
    for (const [verdict, dryRun, conclusion] of cases) {
      expect(checkConclusion(verdict, dryRun)).toBe(conclusion)
      await publishCheckRun(octokit, target, reportOf(manyFindings(3), verdict, {}, dryRun), { log })
    }
    const calls = server.current.calls
    expect(calls.map((c) => c.operationId)).toEqual(Array(cases.length).fill('checks/create'))
    expect(calls.map((c) => (c.body as Body).conclusion)).toEqual(cases.map((c) => c[2]))
    expect(calls.every((c) => (c.body as Body).status === 'completed')).toBe(true)
  })

  it('keeps summary and text within 65,535 characters and says what was cut', async () => {
    // Many long findings: the summary renderer drops rows to fit and says how many.
    const long = manyFindings(3000).map((f) => ({ ...f, message: `${f.message} ${'detail '.repeat(20)}` }))
    const { summary, text } = checkOutput(reportOf(long))
    expect(summary.length).toBeLessThanOrEqual(CHECK_OUTPUT_MAX_CHARS)
    expect(summary).toMatch(/\d+ more finding\(s\) did not fit/)
    expect(text.length).toBeLessThanOrEqual(CHECK_OUTPUT_MAX_CHARS)
    expect(text).toMatch(/truncated by release-gate: \d+ of \d+ characters shown/)
    expect(text.endsWith('```\n')).toBe(true)

    // One huge stage summary the row budget cannot drop: the hard cut, with its note, at the limit.
    const huge = reportOf(manyFindings(2), 'fail', { summary: 'x'.repeat(100_000) })
    const cut = checkOutput(huge).summary
    expect(cut.length).toBeLessThanOrEqual(CHECK_OUTPUT_MAX_CHARS)
    expect(cut.length).toBeGreaterThan(CHECK_OUTPUT_MAX_CHARS - 300)
    expect(cut).toMatch(/_Truncated by release-gate: \d+ of \d+ characters shown \(GitHub's check-run limit is 65,535\)/)

    // Both go through GitHub's maxLength: 65535 on output.summary / output.text (checked by the server).
    await publishCheckRun(clientFor(server.current), target, huge, { log: new RecordingLog() })
    const body = server.current.callsTo('checks/create')[0]!.body as Body
    expect(body.output.summary).toBe(cut)
  })

  it('truncates exactly at the limit and never splits a surrogate pair', () => {
    const note = truncationNote('limit')
    expect(truncateWithNote('a'.repeat(CHECK_OUTPUT_MAX_CHARS), CHECK_OUTPUT_MAX_CHARS, note)).toHaveLength(CHECK_OUTPUT_MAX_CHARS)
    const over = truncateWithNote('a'.repeat(CHECK_OUTPUT_MAX_CHARS + 1), CHECK_OUTPUT_MAX_CHARS, note)
    expect(over.length).toBeLessThanOrEqual(CHECK_OUTPUT_MAX_CHARS)
    expect(over).toContain(`of ${CHECK_OUTPUT_MAX_CHARS + 1} characters shown`)
    const emoji = '😀'.repeat(40_000)
    const cut = truncateWithNote(emoji, CHECK_OUTPUT_MAX_CHARS, note)
    expect(cut.length).toBeLessThanOrEqual(CHECK_OUTPUT_MAX_CHARS)
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })

  it('still concludes the run when an annotation batch fails, and reports the failure', async () => {
    const log = new RecordingLog()
    // A 502 is retried three times by the retry plugin, then given up on.
    server.current.fail('checks/update', { status: 502, message: 'Server Error' }, 4)
    const outcome = await publishCheckRun(clientFor(server.current, log), target, reportOf(manyFindings(120)), { log })
    const updates = server.current.callsTo('checks/update')
    expect(updates.map((c) => c.status)).toEqual([502, 502, 502, 502, 200])
    expect(updates.at(-1)!.body).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect(outcome.status).toBe('failed')
    expect(log.at('warning').join('\n')).toContain('could not attach annotations 51–120 to check run 4 (HTTP 502: Server Error')
  })

  it('does not retry a 422', async () => {
    server.current.fail('checks/update', { status: 422, message: 'Validation Failed' })
    const outcome = await publishCheckRun(clientFor(server.current), target, reportOf(manyFindings(60)), { log: new RecordingLog() })
    expect(server.current.callsTo('checks/update').map((c) => c.status)).toEqual([422, 200])
    expect(outcome.status).toBe('failed')
  })
})

describe('commit statuses', () => {
  it('posts state, context and a description within 140 characters', async () => {
    const log = new RecordingLog()
    const octokit = clientFor(server.current, log)
    const long = reportOf(manyFindings(4), 'fail', { summary: 'contract: 3 breaking changes in acme.pet.v1 '.repeat(10) })
    expect(statusDescription(long).length).toBeLessThanOrEqual(140)
    const outcome = await publishCommitStatus(octokit, target, long, { targetUrl: 'https://github.com/octocat/Hello-World/actions/runs/1', log })
    await publishCommitStatus(octokit, target, reportOf([], 'inconclusive'), { context: 'release-gate/staging', log })
    await publishCommitStatus(octokit, target, reportOf([], 'pass'), { log })

    const calls = server.current.callsTo('repos/create-commit-status')
    expect(calls.map((c) => c.pathParams.sha)).toEqual([target.sha, target.sha, target.sha])
    expect(calls.map((c) => c.body)).toEqual([
      { state: 'failure', context: 'release-gate', description: statusDescription(long), target_url: 'https://github.com/octocat/Hello-World/actions/runs/1' },
      { state: 'error', context: 'release-gate/staging', description: 'inconclusive: 0 error(s), 0 warning(s) — contract: 0 finding(s)' },
      { state: 'success', context: 'release-gate', description: 'pass: 0 error(s), 0 warning(s)' }
    ])
    expect((calls[0]!.body as { description: string }).description).toMatch(/^fail: 2 error\(s\), 1 warning\(s\) — contract: contract: 3 breaking/)
    expect(outcome).toMatchObject({ status: 'published', requests: 1 })
  })
})

describe('a token without write permissions (fork pull requests)', () => {
  it('turns a 403 on the check run into a notice naming checks: write, and goes on', async () => {
    const log = new RecordingLog()
    server.current.denyPermission('checks/create', 'checks=write')
    const outcome = await publishCheckRun(clientFor(server.current, log), target, reportOf(manyFindings(120)), { log })
    expect(outcome).toMatchObject({ status: 'permission-denied', permission: 'checks: write' })
    // No retries of a 403 and no update calls after the create was refused.
    expect(server.current.calls.map((c) => `${c.operationId} ${c.status}`)).toEqual(['checks/create 403'])
    const [notice] = log.at('notice')
    expect(notice).toContain('could not create the check run: the token lacks `checks: write`')
    expect(notice).toContain('Add `permissions: { checks: write }` to the job')
    expect(notice).toContain('GitHub accepts these permissions for this call: checks=write')
    expect(log.at('warning')).toEqual([])
  })

  it('names statuses: write for a refused commit status', async () => {
    const log = new RecordingLog()
    server.current.denyPermission('repos/create-commit-status', 'statuses=write')
    const outcome = await publishCommitStatus(clientFor(server.current, log), target, reportOf([], 'pass'), { log })
    expect(outcome).toMatchObject({ status: 'permission-denied', permission: 'statuses: write' })
    expect(log.at('notice')[0]).toContain('could not set the commit status: the token lacks `statuses: write`')
  })
})
