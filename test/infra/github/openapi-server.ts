/**
 * A GitHub REST stand-in on 127.0.0.1 that knows only what GitHub's OpenAPI description says:
 * every request must match a documented method + path, its path/query parameters and JSON body
 * must validate against the operation, and answers are the documented status with GitHub's example
 * body. Anything else is answered 4xx and recorded as a violation, which the test then fails on.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { loadGitHubDescription, OpenApiValidator, type OpenApiDocument } from './openapi-description.js'

export interface RecordedCall {
  operationId: string
  method: string
  /** Path and query as sent, e.g. /repos/o/r/issues/7/comments?per_page=100. */
  url: string
  pathParams: Record<string, string>
  query: Record<string, string | string[]>
  body: unknown
  authorization: string | undefined
  /** The status the server answered with. */
  status: number
}

export interface Violation {
  request: string
  errors: string[]
}

export interface Reply {
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

/** Answers one operation instead of the example; the reply is checked against the documented response. */
export type Responder = (call: RecordedCall) => Reply

interface Injected extends Required<Reply> {
  remaining: number
}

let sharedValidator: OpenApiValidator | undefined

export class OpenApiServer {
  readonly calls: RecordedCall[] = []
  readonly violations: Violation[] = []
  private readonly responders = new Map<string, Responder>()
  private readonly injected = new Map<string, Injected[]>()

  private constructor(
    private readonly server: http.Server,
    readonly validator: OpenApiValidator,
    /** Where clients point: http://127.0.0.1:<port> plus the base path. */
    readonly baseUrl: string,
    private readonly basePath: string
  ) {}

  /**
   * Starts on an ephemeral loopback port; without a description, GitHub's api.github.com one.
   * `basePath` is where the REST root sits, "/api/v3" on GitHub Enterprise Server.
   */
  static async start(description?: OpenApiDocument, options: { basePath?: string } = {}): Promise<OpenApiServer> {
    const validator = description ? new OpenApiValidator(description) : (sharedValidator ??= new OpenApiValidator(loadGitHubDescription()))
    let instance: OpenApiServer | undefined
    const server = http.createServer((req, res) => {
      instance!.handle(req, res).catch((err: unknown) => {
        instance!.violations.push({ request: `${req.method} ${req.url}`, errors: [`server fault: ${(err as Error).stack ?? String(err)}`] })
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const basePath = (options.basePath ?? '').replace(/\/+$/, '')
    instance = new OpenApiServer(server, validator, `http://127.0.0.1:${port}${basePath}`, basePath)
    return instance
  }

  /** Replaces the example answer of `operationId` (stateful fakes: a comment list that grows). */
  respondTo(operationId: string, responder: Responder): void {
    this.validator.operation(operationId)
    this.responders.set(operationId, responder)
  }

  /** The description's example answer body of `operationId`, a fresh copy to derive a reply from. */
  example<T = unknown>(operationId: string): T {
    return this.validator.successResponse(this.validator.operation(operationId)).body as T
  }

  /**
   * Answers the next `times` calls of `operationId` with an error GitHub sends but the description
   * does not list (a 403 for a missing permission, a secondary rate limit, a 502).
   */
  fail(operationId: string, reply: { status: number; message: string; headers?: Record<string, string> }, times = 1): void {
    this.validator.operation(operationId)
    const queue = this.injected.get(operationId) ?? []
    queue.push({
      status: reply.status,
      body: { message: reply.message, documentation_url: 'https://docs.github.com/rest', status: String(reply.status) },
      headers: reply.headers ?? {},
      remaining: times
    })
    this.injected.set(operationId, queue)
  }

  /** GitHub's answer to a token without the permission, as a fork PR's read-only GITHUB_TOKEN gets it. */
  denyPermission(operationId: string, acceptedPermissions: string, times = 1): void {
    this.fail(operationId, { status: 403, message: 'Resource not accessible by integration', headers: { 'x-accepted-github-permissions': acceptedPermissions } }, times)
  }

  callsTo(operationId: string): RecordedCall[] {
    return this.calls.filter((c) => c.operationId === operationId)
  }

  /** Throws with every request that broke the description, so the test fails naming each error. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return
    throw new Error(
      `${this.violations.length} request(s) do not conform to GitHub's OpenAPI description:\n` +
        this.violations.map((v) => `  ${v.request}\n${v.errors.map((e) => `    - ${e}`).join('\n')}`).join('\n')
    )
  }

  reset(): void {
    this.calls.length = 0
    this.violations.length = 0
    this.responders.clear()
    this.injected.clear()
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const label = `${method} ${url.pathname}${url.search}`
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const payload = body === undefined ? '' : JSON.stringify(body)
      res.writeHead(status, { ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'x-github-request-id': `local-${this.calls.length}`, ...headers })
      res.end(payload)
    }
    const reject = (status: number, errors: string[]) => {
      this.violations.push({ request: label, errors })
      send(status, { message: status === 422 ? `Invalid request.\n\n${errors.join('\n')}` : errors.join('\n'), status: String(status) })
    }

    let body: unknown
    if (text !== '') {
      try {
        body = JSON.parse(text)
      } catch (err) {
        return reject(400, [`request body is not JSON: ${(err as Error).message}`])
      }
    }
    if (!url.pathname.startsWith(`${this.basePath}/`)) return reject(404, [`${url.pathname} is outside the REST root ${this.basePath}/`])
    url.pathname = url.pathname.slice(this.basePath.length)
    const authorization = req.headers.authorization
    if (!authorization) return reject(401, ['no Authorization header: every GitHub call here needs a token'])

    const checked = this.validator.checkRequest(method, url, body, req.headers['content-type'])
    if ('error' in checked) return reject(checked.status, [checked.error])
    const call: RecordedCall = {
      operationId: checked.operation.operationId,
      method,
      url: `${this.basePath}${url.pathname}${url.search}`,
      pathParams: checked.pathParams,
      query: checked.query,
      body,
      authorization,
      status: 0
    }
    this.calls.push(call)
    if (checked.errors.length > 0) {
      call.status = 422
      return reject(422, [`${call.operationId}:`, ...checked.errors])
    }

    const queue = this.injected.get(call.operationId)
    const injected = queue?.[0]
    if (injected) {
      if (--injected.remaining <= 0) queue.shift()
      call.status = injected.status
      return send(injected.status, injected.body, injected.headers)
    }

    const responder = this.responders.get(call.operationId)
    const reply: Reply = responder ? responder(call) : this.validator.successResponse(checked.operation)
    const status = reply.status ?? this.validator.successResponse(checked.operation).status
    if (responder) {
      const errors = this.validator.checkResponse(checked.operation, status, reply.body)
      if (errors.length > 0) this.violations.push({ request: `${label} (the test's reply)`, errors })
    }
    call.status = status
    send(status, reply.body, reply.headers)
  }
}

/**
 * One server per test file: started before the tests, emptied after each one, which also fails the
 * test if any request broke the description, and closed at the end.
 */
export function useOpenApiServer(): { readonly current: OpenApiServer } {
  const holder: { current?: OpenApiServer } = {}
  beforeAll(async () => {
    holder.current = await OpenApiServer.start()
  })
  afterEach(() => {
    const server = holder.current!
    try {
      server.assertNoViolations()
    } finally {
      server.reset()
    }
  })
  afterAll(async () => {
    await holder.current?.close()
  })
  return {
    get current() {
      if (!holder.current) throw new Error('the OpenAPI server has not started yet')
      return holder.current
    }
  }
}
