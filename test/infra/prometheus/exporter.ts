/**
 * A /metrics endpoint on loopback for a real Prometheus to scrape: every scrape gets what `render`
 * returns at that moment, in the text exposition format.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MetricsEndpoint {
  port: number
  /** A scrape config for prometheus.yml, scraping this endpoint every `interval`. */
  scrapeConfig(job: string, interval: string): string
  close(): Promise<void>
}

export async function serveMetrics(render: () => string): Promise<MetricsEndpoint> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render()))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  return {
    port,
    scrapeConfig: (job, interval) => `global:\n  scrape_interval: ${interval}\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    }
  }
}
