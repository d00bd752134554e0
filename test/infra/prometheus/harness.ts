/**
 * Starts real Prometheus and Alertmanager processes (Debian packages, see install.sh) on free
 * loopback ports with throw-away directories, optionally on top of TSDB blocks backfilled from
 * OpenMetrics text. Every process is stopped by its PID; none outlives the test process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export const PROMETHEUS_BINARIES = ['prometheus', 'promtool'] as const
export const ALERTMANAGER_BINARIES = ['prometheus-alertmanager'] as const

export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    if (existsSync(candidate)) return candidate
  }
  return undefined
}

/**
 * True when all binaries are installed. When some are missing it prints a notice and returns
 * false so the suite can skip — except in CI (CI=true), where a missing binary means the
 * install step is broken, so it throws and the suite fails.
 */
export function requireBinaries(names: readonly string[], suite: string): boolean {
  const missing = names.filter((name) => findBinary(name) === undefined)
  if (missing.length === 0) return true
  const message = `${suite}: ${missing.join(', ')} not installed; run test/infra/prometheus/install.sh`
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true, so this is a failure, not a skip)`)
  console.warn(`SKIPPED ${message}`)
  return false
}

/** A port the OS considers free right now; callers retry if another process takes it first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const started = new Set<ChildProcess>()
// Last resort for a crashed test run: never leave a server behind.
process.once('exit', () => {
  for (const child of started) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL')
})

export interface ServerProcess {
  url: string
  port: number
  pid: number
  /** Scratch directory with config and data; removed by stop(). */
  dir: string
  /** The last lines the process wrote, for failure messages. */
  log(): string
  /** SIGKILL now, without cleanup: for tests of a server dying mid-run. */
  kill(): Promise<void>
  /** SIGTERM, SIGKILL after 10 s, then remove the scratch directory. Safe to call twice. */
  stop(): Promise<void>
}

interface Launch {
  binary: string
  args: (port: number) => string[]
  dir: string
  readyTimeoutMs: number
  name: string
  /** A fixed port (a config file names it); default a free one. */
  port?: number
}

async function launch(spec: Launch): Promise<ServerProcess> {
  if (spec.port !== undefined) return startOnce(spec, spec.port)
  let lastError: Error | undefined
  // A port can be taken between freePort() and bind(); try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    try {
      return await startOnce(spec, port)
    } catch (error) {
      lastError = error as Error
      if (!/address already in use/i.test(lastError.message)) break
    }
  }
  await rm(spec.dir, { recursive: true, force: true })
  throw lastError ?? new Error(`${spec.name} did not start`)
}

async function startOnce(spec: Launch, port: number): Promise<ServerProcess> {
  const child = spawn(spec.binary, spec.args(port), { cwd: spec.dir, stdio: ['ignore', 'pipe', 'pipe'] })
  started.add(child)
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  exited.then(() => started.delete(child))
  const pid = child.pid
  if (pid === undefined) throw new Error(`${spec.name}: spawn ${spec.binary} failed`)
  const url = `http://127.0.0.1:${port}`

  const signal = async (sig: NodeJS.Signals, graceMs: number): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    process.kill(pid, sig)
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref())
    if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
      process.kill(pid, 'SIGKILL')
      await exited
    }
  }
  let stopped = false
  const server: ServerProcess = {
    url,
    port,
    pid,
    dir: spec.dir,
    log: () => output,
    kill: () => signal('SIGKILL', 5_000),
    stop: async () => {
      if (stopped) return
      stopped = true
      await signal('SIGTERM', 10_000)
      await rm(spec.dir, { recursive: true, force: true })
    }
  }

  const deadline = Date.now() + spec.readyTimeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${spec.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${output}`)
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })
      await response.arrayBuffer()
      if (response.ok) return server
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await signal('SIGKILL', 5_000)
  throw new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs} ms:\n${output}`)
}

/**
 * Turns OpenMetrics text into TSDB blocks with promtool. Traps (all silent): timestamps are
 * seconds, `# EOF` is required, samples of one series must ascend in time.
 */
export async function backfillOpenMetrics(openMetrics: string): Promise<string> {
  if (!openMetrics.trimEnd().endsWith('# EOF')) throw new Error('OpenMetrics text must end with "# EOF"; promtool rejects it otherwise')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-blocks-'))
  const input = path.join(dir, 'fixture.om')
  const blocks = path.join(dir, 'blocks')
  await writeFile(input, openMetrics)
  try {
    await execFileAsync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, blocks], { timeout: 60_000 })
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new Error(`promtool create-blocks-from openmetrics failed: ${e.stderr || e.message}`)
  }
  return blocks
}

export interface PrometheusOptions {
  /** A directory of TSDB blocks (from backfillOpenMetrics); copied, because Prometheus writes into its data dir. */
  blocksDir?: string
  /** Full prometheus.yml; default: no scrape targets. */
  config?: string
  extraArgs?: string[]
  readyTimeoutMs?: number
  /** Listen on this loopback port instead of a free one. */
  port?: number
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<ServerProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-prom-'))
  const data = path.join(dir, 'data')
  // Blocks must be there before start: blocks added later show up only after ~1 min.
  if (options.blocksDir) await cp(options.blocksDir, data, { recursive: true })
  else await mkdir(data)
  const configFile = path.join(dir, 'prometheus.yml')
  await writeFile(configFile, options.config ?? 'global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs: []\n')
  return launch({
    name: 'prometheus',
    binary: 'prometheus',
    dir,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    ...(options.port !== undefined ? { port: options.port } : {}),
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      // Retention counts back from the newest block; backfilled data from 2024 must survive.
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
      ...(options.extraArgs ?? [])
    ]
  })
}

export interface AlertmanagerOptions {
  /** Full alertmanager.yml; default: one receiver that sends nothing. */
  config?: string
  readyTimeoutMs?: number
}

export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<ServerProcess> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-am-'))
  const configFile = path.join(dir, 'alertmanager.yml')
  await writeFile(configFile, options.config ?? "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n")
  await mkdir(path.join(dir, 'data'))
  return launch({
    name: 'alertmanager',
    binary: 'prometheus-alertmanager',
    dir,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Empty: otherwise cluster gossip listens on 0.0.0.0:9094.
      '--cluster.listen-address=',
      '--log.level=warn'
    ]
  })
}

export interface AlertToPost {
  labels: Record<string, string>
  annotations?: Record<string, string>
}

/** Test setup: makes alerts active at once, as Prometheus would by sending them. */
export async function postAlerts(alertmanagerUrl: string, alerts: AlertToPost[]): Promise<void> {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts)
  })
  if (!response.ok) throw new Error(`POST /api/v2/alerts: HTTP ${response.status} ${await response.text()}`)
  await response.arrayBuffer()
}

/** Test setup: silences alerts whose labels equal all of `labels` for an hour; returns the silence ID. */
export async function createSilence(alertmanagerUrl: string, labels: Record<string, string>): Promise<string> {
  const now = Date.now()
  const response = await fetch(`${alertmanagerUrl}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
      startsAt: new Date(now - 1_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'release-gate tests',
      comment: 'test silence'
    })
  })
  const body = (await response.json()) as { silenceID?: string }
  if (!response.ok || typeof body.silenceID !== 'string') throw new Error(`POST /api/v2/silences: HTTP ${response.status} ${JSON.stringify(body)}`)
  return body.silenceID
}

export interface TestPki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  /** A second CA that signed nothing here: trusting only it must fail verification. */
  otherCaCert: string
}

/**
 * A made-up name in the server certificate. Only ever used through a CONNECT proxy that tunnels
 * to loopback, so it is never resolved.
 */
export const TEST_TLS_HOSTNAME = 'prometheus.test.invalid'

/** A throw-away CA with a server certificate for 127.0.0.1 (and TEST_TLS_HOSTNAME) and a client certificate, via openssl. */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-pki-'))
  const file = (name: string): string => path.join(dir, name)
  const openssl = (args: string[]): Promise<unknown> => execFileAsync('openssl', args, { cwd: dir, timeout: 30_000 })
  const newCa = async (name: string): Promise<void> => {
    await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
      '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)])
  }
  const issue = async (name: string, extensions: string): Promise<void> => {
    await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`,
      '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`)])
    await writeFile(file(`${name}.ext`), extensions)
    await openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-days', '2', '-extfile', file(`${name}.ext`), '-out', file(`${name}.crt`)])
  }
  await newCa('ca')
  await newCa('other-ca')
  await issue('server', `subjectAltName=IP:127.0.0.1,DNS:${TEST_TLS_HOSTNAME}\nextendedKeyUsage=serverAuth\n`)
  await issue('client', 'extendedKeyUsage=clientAuth\n')
  return {
    dir,
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCaCert: file('other-ca.crt')
  }
}
