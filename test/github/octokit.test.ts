import { once } from 'node:events'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { publishCheckRun } from '../../src/github/checks.js'
import { githubClient } from '../../src/github/octokit.js'
import { loadGitHubDescription } from '../infra/github/openapi-description.js'
import { OpenApiServer, useOpenApiServer } from '../infra/github/openapi-server.js'
import { clientFor, manyFindings, RecordingLog, reportOf, TOKEN } from './support.js'

const server = useOpenApiServer()
const status = { owner: 'o', repo: 'r', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e', state: 'success' as const, context: 'release-gate' }
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

afterEach(() => vi.restoreAllMocks())

describe('githubClient', () => {
  it('retries a secondary rate limit twice, logging each wait, then gives up', async () => {
    const log = new RecordingLog()
    server.current.fail('repos/create-commit-status', { status: 403, message: SECONDARY, headers: { 'retry-after': '7' } }, 3)
    const octokit = clientFor(server.current, log)
    await expect(octokit.rest.repos.createCommitStatus(status)).rejects.toMatchObject({ status: 403 })
    expect(server.current.calls.map((c) => c.status)).toEqual([403, 403, 403])
    expect(log.at('warning')).toEqual([
      'GitHub secondary rate limit hit for POST /repos/{owner}/{repo}/statuses/{sha}; retry 1 of 2 in 7s',
      'GitHub secondary rate limit hit for POST /repos/{owner}/{repo}/statuses/{sha}; retry 2 of 2 in 7s',
      'GitHub secondary rate limit hit for POST /repos/{owner}/{repo}/statuses/{sha}; giving up after 2 retries'
    ])
  })

  it('waits for the primary rate limit reset and succeeds on the retry', async () => {
    const log = new RecordingLog()
    const reset = String(Math.floor(Date.now() / 1000) + 2)
    server.current.fail('repos/create-commit-status', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } })
    const { status: code } = await clientFor(server.current, log).rest.repos.createCommitStatus(status)
    expect(code).toBe(201)
    expect(server.current.calls.map((c) => c.status)).toEqual([403, 201])
    expect(log.at('warning')[0]).toMatch(/^GitHub rate limit hit for POST .*; retry 1 of 2 in [1-4]s$/)
  })

  it('retries 5xx but not client errors', async () => {
    const octokit = clientFor(server.current)
    server.current.fail('repos/create-commit-status', { status: 503, message: 'unavailable' })
    expect((await octokit.rest.repos.createCommitStatus(status)).status).toBe(201)
    for (const code of [400, 401, 404, 410, 422, 429, 451]) server.current.fail('repos/create-commit-status', { status: code, message: `status ${code}` })
    for (let i = 0; i < 7; i++) await expect(octokit.rest.repos.createCommitStatus(status)).rejects.toHaveProperty('status')
    expect(server.current.calls.map((c) => c.status)).toEqual([503, 201, 400, 401, 404, 410, 422, 429, 451])
  })

  it('spaces writes a second apart unless told not to', async () => {
    const octokit = githubClient(TOKEN, { baseUrl: server.current.baseUrl, log: new RecordingLog(), env: {} })
    const started = Date.now()
    await octokit.rest.repos.createCommitStatus(status)
    await octokit.rest.repos.createCommitStatus(status)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('masks the token in Actions, and never prints it', async () => {
    const printed: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true))
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true))
    const log = new RecordingLog()
    const octokit = githubClient(TOKEN, { baseUrl: server.current.baseUrl, log, paceWrites: false, msPerRetrySecond: 1, env: { GITHUB_ACTIONS: 'true' } })
    server.current.denyPermission('checks/create', 'checks=write')
    await publishCheckRun(octokit, { owner: 'o', repo: 'r', sha: status.sha }, reportOf(manyFindings(2)), { log })
    server.current.fail('repos/create-commit-status', { status: 500, message: 'boom' }, 4)
    const error = await octokit.rest.repos.createCommitStatus(status).catch((e: unknown) => e as Error)
    vi.restoreAllMocks()

    expect(printed).toContain(`::add-mask::${TOKEN}\n`)
    const everythingElse = [...printed.filter((p) => !p.startsWith('::add-mask::')), ...log.lines.map((l) => l.message), String(error), (error as Error).stack, JSON.stringify(error)]
    expect(everythingElse.join('\n')).not.toContain(TOKEN)
    // The token did reach GitHub, in the Authorization header.
    expect(server.current.calls[0]!.authorization).toBe(`token ${TOKEN}`)

    printed.length = 0
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true))
    githubClient(TOKEN, { baseUrl: server.current.baseUrl, log, env: {} })
    vi.restoreAllMocks()
    expect(printed.join('')).not.toContain(TOKEN)
  })

  it('refuses to start without a token', () => {
    expect(() => githubClient('', { env: {} })).toThrow('no GitHub token: pass the github-token input or set GITHUB_TOKEN')
  })
})

describe('GitHub Enterprise Server', () => {
  it('takes GITHUB_API_URL as the REST root (/api/v3), checked against the GHES description', async () => {
    const ghes = await OpenApiServer.start(loadGitHubDescription('ghes-3.19'), { basePath: '/api/v3' })
    try {
      const octokit = githubClient(TOKEN, { log: new RecordingLog(), paceWrites: false, env: { GITHUB_API_URL: `${ghes.baseUrl}/` } })
      await octokit.rest.repos.createCommitStatus(status)
      expect(ghes.calls.map((c) => c.url)).toEqual(['/api/v3/repos/o/r/statuses/6dcb09b5b57875f334f61aebed695e2e4193db5e'])
      ghes.assertNoViolations()
    } finally {
      await ghes.close()
    }
  })

  it('goes through the proxy https_proxy / http_proxy names for that host', async () => {
    // A CONNECT proxy that sends every tunnel to the local server, whatever host was asked for.
    const upstream = new URL(server.current.baseUrl)
    const tunnels: string[] = []
    const proxy = http.createServer()
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '')
      const target = net.connect(Number(upstream.port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        target.write(head)
        target.pipe(client)
        client.pipe(target)
      })
      target.on('error', () => client.destroy())
      client.on('error', () => target.destroy())
    })
    proxy.listen(0, '127.0.0.1')
    await once(proxy, 'listening')
    const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy }
    process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    delete process.env.no_proxy
    try {
      const octokit = githubClient(TOKEN, { baseUrl: `http://ghes.invalid:${upstream.port}`, log: new RecordingLog(), paceWrites: false, env: {} })
      await octokit.rest.repos.createCommitStatus(status)
      expect(tunnels).toEqual([`ghes.invalid:${upstream.port}`])
      expect(server.current.callsTo('repos/create-commit-status')).toHaveLength(1)
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
      else process.env[k] = v
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
