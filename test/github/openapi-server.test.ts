import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { githubDescriptionPackageVersion, loadGitHubDescription, OpenApiValidator, type OpenApiDocument } from '../infra/github/openapi-description.js'
import { OpenApiServer } from '../infra/github/openapi-server.js'

/** The harness itself: it must refuse what GitHub's description refuses, or the other tests prove nothing. */
let server: OpenApiServer
beforeAll(async () => {
  server = await OpenApiServer.start()
})
afterEach(() => server.reset())
afterAll(() => server.close())

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: 'token t' }) {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }
}

const checkRun = (output: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'release-gate', head_sha: 'abc', output: { title: 't', summary: 's', ...output }, ...extra })
const annotation = (i: number) => ({ path: 'a.proto', start_line: i + 1, end_line: i + 1, annotation_level: 'warning', message: `m${i}` })

describe('the OpenAPI description', () => {
  it('is @octokit/openapi 23.x, OpenAPI 3.0, and documents the operations release-gate calls', () => {
    expect(githubDescriptionPackageVersion()).toMatch(/^23\./)
    const validator = new OpenApiValidator(loadGitHubDescription())
    expect(validator.doc.openapi).toMatch(/^3\.0\./)
    for (const id of ['checks/create', 'checks/update', 'repos/create-commit-status', 'issues/list-comments', 'issues/create-comment', 'issues/update-comment'])
      expect(validator.operation(id).operationId).toBe(id)
  })
})

describe('the OpenAPI server', () => {
  it('answers a valid call with the documented status and GitHub example body, and records it', async () => {
    const res = await send('POST', '/repos/octocat/Hello-World/check-runs', checkRun({ annotations: [annotation(0)] }, { conclusion: 'success' }))
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ id: 4, name: 'mighty_readme', head_sha: 'ce587453ced02b1526dfb4cb910479d431683101' })
    expect(server.calls).toEqual([
      expect.objectContaining({ operationId: 'checks/create', pathParams: { owner: 'octocat', repo: 'Hello-World' }, authorization: 'token t', status: 201 })
    ])
    expect(server.violations).toEqual([])
  })

  it('refuses a body that breaks the schema: 51 annotations, a 65,536-character summary, an unknown conclusion', async () => {
    const res = await send(
      'POST',
      '/repos/o/r/check-runs',
      checkRun({ annotations: Array.from({ length: 51 }, (_, i) => annotation(i)), summary: 'x'.repeat(65_536) }, { conclusion: 'passed' })
    )
    expect(res.status).toBe(422)
    const errors = server.violations[0]!.errors.join('\n')
    expect(errors).toContain('request body /output/annotations: must NOT have more than 50 items')
    expect(errors).toContain('request body /output/summary: must NOT have more than 65535 characters')
    expect(errors).toContain('request body /conclusion: must be equal to one of the allowed values ["action_required","cancelled","failure","neutral","success","skipped","stale","timed_out"]')
    expect(String(res.body!.message)).toContain('must NOT have more than 50 items')
  })

  it('refuses properties the description does not declare, which GitHub would silently ignore', async () => {
    await send('POST', '/repos/o/r/check-runs', checkRun({ annotatons: [annotation(0)] }))
    await send('POST', '/repos/o/r/check-runs', checkRun({ annotations: [{ ...annotation(0), line: 3 }] }))
    expect(server.violations.flatMap((v) => v.errors)).toEqual([
      'checks/create:',
      'request body /output: property "annotatons" is not declared (GitHub would ignore it)',
      'checks/create:',
      'request body /output/annotations/0: property "line" is not declared (GitHub would ignore it)'
    ])
  })

  it('refuses a required field left out, and a required body left out', async () => {
    await send('POST', '/repos/o/r/check-runs', { name: 'x', output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 1, message: 'm' }] } })
    await send('POST', '/repos/o/r/issues/1/comments')
    const errors = server.violations.flatMap((v) => v.errors)
    expect(errors).toContain("request body /: must have required property 'head_sha'")
    expect(errors).toContain("request body /output/annotations/0: must have required property 'annotation_level'")
    expect(errors).toContain('request body: required by the operation but absent')
  })

  it('accepts null where OpenAPI 3.0 says nullable', async () => {
    const res = await send('POST', '/repos/o/r/statuses/6dcb09b5b57875f334f61aebed695e2e4193db5e', { state: 'success', target_url: null, description: null })
    expect(res.status).toBe(201)
    expect(server.violations).toEqual([])
    await send('POST', '/repos/o/r/statuses/6dcb09b5', { state: 'success', context: null })
    expect(server.violations[0]!.errors).toContain('request body /context: must be string')
  })

  it('matches templated paths: literal segments first, multi-segment parameters, typed path and query parameters', async () => {
    expect((await send('GET', '/repos/o/r/issues/comments')).status).toBe(200)
    expect((await send('GET', '/repos/o/r/issues/7/comments?per_page=100&page=2')).status).toBe(200)
    expect((await send('GET', '/repos/o/r/contents/proto/acme/pet.proto')).status).toBe(200)
    expect(server.calls.map((c) => [c.operationId, c.pathParams, c.query])).toEqual([
      ['issues/list-comments-for-repo', { owner: 'o', repo: 'r' }, {}],
      ['issues/list-comments', { owner: 'o', repo: 'r', issue_number: '7' }, { per_page: '100', page: '2' }],
      ['repos/get-content', { owner: 'o', repo: 'r', path: 'proto/acme/pet.proto' }, {}]
    ])
    expect(server.violations).toEqual([])

    expect((await send('GET', '/repos/o/r/issues/seven/comments?per_page=many&sort=asc')).status).toBe(422)
    expect(server.violations[0]!.errors).toEqual([
      'issues/list-comments:',
      'path parameters /issue_number: must be integer',
      'query parameter sort: not declared by issues/list-comments',
      'query parameters /per_page: must be integer'
    ])
  })

  it('answers 404 for an undocumented path, 405 for an undocumented method, 401 without a token', async () => {
    expect((await send('GET', '/repos/o/r/check-run')).status).toBe(404)
    expect((await send('DELETE', '/repos/o/r/check-runs')).status).toBe(405)
    expect((await send('GET', '/repos/o/r/issues/1/comments', undefined, {})).status).toBe(401)
    expect(server.violations.map((v) => v.errors[0])).toEqual([
      'no path in the OpenAPI description matches /repos/o/r/check-run',
      'DELETE is not documented for /repos/o/r/check-runs',
      'no Authorization header: every GitHub call here needs a token'
    ])
    expect(() => server.assertNoViolations()).toThrow(/3 request\(s\) do not conform to GitHub's OpenAPI description:\n {2}GET \/repos\/o\/r\/check-run\n {4}- no path/)
  })

  it("checks a test's own replies against the documented response", async () => {
    server.respondTo('issues/create-comment', () => ({ body: { id: 1, body: 'hi' } }))
    expect((await send('POST', '/repos/o/r/issues/1/comments', { body: 'hi' })).status).toBe(201)
    const errors = server.violations[0]!.errors
    expect(server.violations[0]!.request).toBe("POST /repos/o/r/issues/1/comments (the test's reply)")
    expect(errors).toContain("response 201 /: must have required property 'node_id'")
  })

  it('injects errors the description does not list, for as many calls as asked', async () => {
    server.denyPermission('checks/create', 'checks=write', 2)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await send('POST', '/repos/o/r/check-runs', checkRun({}))).status)
    expect(statuses).toEqual([403, 403, 201])
    const denied = await (server.denyPermission('checks/create', 'checks=write'), send('POST', '/repos/o/r/check-runs', checkRun({})))
    expect(denied.body).toMatchObject({ message: 'Resource not accessible by integration', status: '403' })
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('checks=write')
    expect(server.violations).toEqual([])
  })
})

describe('OpenAPI 3.1 descriptions', () => {
  // A minimal description in 3.1 form: JSON Schema 2020-12 types with "null", $refs to components.
  const description: OpenApiDocument = {
    openapi: '3.1.0',
    paths: {
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        put: {
          operationId: 'things/put',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' }, examples: { one: { value: { name: 'a', note: null } } } } } } }
        }
      }
    },
    components: { schemas: { thing: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'a' }, note: { type: ['string', 'null'] } } } } }
  }

  it('validates with JSON Schema 2020-12 and answers with the example', async () => {
    const local = await OpenApiServer.start(description)
    try {
      const put = (path: string, body: unknown) =>
        fetch(local.baseUrl + path, { method: 'PUT', headers: { authorization: 'token t', 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const ok = await put('/things/3', { name: 'x', note: null })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ name: 'a', note: null })
      expect(local.violations).toEqual([])
      expect((await put('/things/3', { note: 5, nmae: 'x' })).status).toBe(422)
      expect(local.violations[0]!.errors).toEqual(['things/put:', "request body /: must have required property 'name'", 'request body /note: must be string,null'])
    } finally {
      await local.close()
    }
  })
})
