import { once } from 'node:events'
import net from 'node:net'

/**
 * A loopback TCP relay in front of a server, so a test can cut live connections the way a load balancer or a
 * flaky network does (TLS passes through untouched, so the server certificate still matches 127.0.0.1).
 */
export interface TcpProxy {
  port: number
  /** Destroys every open connection; new connections keep working. Returns how many were cut. */
  dropConnections(): number
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    track(client)
    track(upstream)
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as net.AddressInfo).port,
    dropConnections() {
      const clients = sockets.size / 2
      for (const socket of sockets) socket.destroy()
      return clients
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}
