/**
 * A loopback stand-in for Grafana's annotations API: records every request and answers as Grafana
 * documents it (POST /api/annotations → 200 `{"id":1,"message":"Annotation added"}`), or with the
 * status the test sets.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

export class GrafanaFixture {
  readonly requests: RecordedRequest[] = []
  /** The answer to the next requests; `hang` never answers (a timeout test). */
  answer: { status: number; body: unknown } | 'hang' = { status: 200, body: { id: 1, message: 'Annotation added' } }
  private nextId = 1

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<GrafanaFixture> {
    const server = http.createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const fixture = new GrafanaFixture(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    server.on('request', (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        fixture.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        const answer = fixture.answer
        if (answer === 'hang') return
        const body = answer.status === 200 ? { ...(answer.body as object), id: fixture.nextId++ } : answer.body
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
    })
    return fixture
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
