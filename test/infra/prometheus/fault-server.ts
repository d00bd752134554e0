/**
 * A loopback HTTP(S) server for fault tests: it answers from a script (status codes, hangs,
 * stalled bodies, reset sockets, garbage) and can forward to a real server, recording every
 * request it sees (headers and body) so tests can check what the client actually sent.
 */
import { once } from 'node:events'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'

export type FaultStep =
  /** Answer with this status and body. */
  | { kind: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Read the request, then never answer. */
  | { kind: 'hang' }
  /** Send the status line, headers and the start of a body, then stall. */
  | { kind: 'stallBody' }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Forward to the target given at start and relay its answer. */
  | { kind: 'forward' }
  /** Answer with the request's own headers as the body (a misbehaving gateway that echoes). */
  | { kind: 'echo'; status: number }

export interface RecordedRequest {
  method: string
  /** Path and query as received. */
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

export interface FaultServerOptions {
  /** Base URL that `forward` steps go to. */
  target?: string
  /** Serve HTTPS with these PEM strings; requestCert makes it ask for (and require) a client certificate. */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean }
  /** Step used when the script is empty; default: forward if a target is set, else 404. */
  fallback?: FaultStep
}

export class FaultServer {
  readonly requests: RecordedRequest[] = []
  private readonly queue: FaultStep[] = []
  private readonly sockets = new Set<net.Socket>()

  private constructor(
    private readonly server: http.Server | https.Server,
    readonly url: string,
    private readonly options: FaultServerOptions
  ) {}

  static async start(options: FaultServerOptions = {}): Promise<FaultServer> {
    const server = options.tls
      ? https.createServer({
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false
        })
      : http.createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address() as net.AddressInfo
    const fault = new FaultServer(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`, options)
    // Fires for the raw TCP socket of HTTPS connections too.
    server.on('connection', (socket: net.Socket) => {
      fault.sockets.add(socket)
      socket.once('close', () => fault.sockets.delete(socket))
    })
    server.on('request', (req, res) => void fault.handle(req, res))
    return fault
  }

  /** Queues steps, used one per request in order. */
  script(...steps: FaultStep[]): this {
    this.queue.push(...steps)
    return this
  }

  /** Forgets recorded requests and queued steps. */
  reset(): void {
    this.requests.length = 0
    this.queue.length = 0
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    this.server.close()
    await once(this.server, 'close')
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
    const step = this.queue.shift() ?? this.options.fallback ?? (this.options.target ? { kind: 'forward' } : { kind: 'respond', status: 404, body: 'no step scripted' })
    switch (step.kind) {
      case 'respond':
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers })
        res.end(step.body)
        return
      case 'hang':
        return
      case 'stallBody':
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"status":"success","data":')
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'echo':
        res.writeHead(step.status, { 'content-type': 'text/plain' })
        res.end(JSON.stringify(req.headers))
        return
      case 'forward':
        await this.forward(req, body, res)
        return
    }
  }

  private async forward(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    if (!this.options.target) throw new Error('forward step without a target')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value
    try {
      const upstream = await fetch(new URL(req.url ?? '/', this.options.target), {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body })
      })
      const text = await upstream.text()
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' })
      res.end(text)
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`fault server could not reach its target: ${(error as Error).message}`)
    }
  }
}

export interface ConnectProxy {
  url: string
  /** Authorities (host:port) clients asked to CONNECT to, in order. */
  connects: string[]
  /** Proxy-Authorization headers received, in order. */
  proxyAuthorizations: string[]
  close(): Promise<void>
}

/**
 * An HTTP CONNECT proxy that tunnels every request to one loopback port, whatever host the client
 * named. It lets a test use a made-up hostname (never resolved) and still reach a local server.
 */
export async function startConnectProxy(tunnelToPort: number): Promise<ConnectProxy> {
  const connects: string[] = []
  const proxyAuthorizations: string[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_req, res) => {
    res.writeHead(405)
    res.end('this proxy only tunnels (CONNECT)')
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '')
    const auth = req.headers['proxy-authorization']
    if (typeof auth === 'string') proxyAuthorizations.push(auth)
    sockets.add(client)
    const upstream = net.connect(tunnelToPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    const closeBoth = (): void => {
      client.destroy()
      upstream.destroy()
    }
    upstream.on('error', closeBoth)
    client.on('error', closeBoth)
    upstream.on('close', closeBoth)
    client.on('close', closeBoth)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    proxyAuthorizations,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    }
  }
}
