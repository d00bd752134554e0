// A real, throwaway Kubernetes API for tests: etcd + kube-apiserver v1.20.2 on free loopback ports, TLS with a
// per-run CA, token auth (an admin and a limited user), RBAC on, and the upstream CRDs from ../shared/reference.
//
// Library use (Vitest):   const cluster = await startCluster(); ...; await cluster.stop()
// CLI (Node >= 23.6 runs this .ts file directly; in this repo `node_modules/.bin/node` is Node 24):
//   node_modules/.bin/node test/infra/kube/cluster.ts start   # prints `export RELEASE_GATE_KUBECONFIG=...`
//   node_modules/.bin/node test/infra/kube/cluster.ts stop
// `start` leaves the servers running and records their PIDs in <cache>/cluster.json; `stop` ends exactly those
// PIDs and removes the temp dir. The apiserver binary comes from build-apiserver.sh (or RELEASE_GATE_KUBE_APISERVER).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import fs from 'node:fs'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

/** The folder holding package.json above this module: test/infra/kube/ in tests, .cache/run-ts/ when a benchmark bundles it. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)))
export const sharedReferenceDir = path.resolve(repoRoot, '../shared/reference')
export const kubeCacheDir = process.env.RELEASE_GATE_KUBE_CACHE ?? path.join(repoRoot, '.cache/kube')
const stateFile = path.join(kubeCacheDir, 'cluster.json')

export const ADMIN_CONTEXT = 'release-gate-admin'
export const LIMITED_CONTEXT = 'release-gate-limited'
export const LIMITED_USER = 'release-gate-limited'

/** CRD files installed by default, relative to ../shared/reference. */
export const REFERENCE_CRD_DIRS = ['argo-rollouts/crds', 'chaos-mesh/crds', 'litmus/crds']

export interface ClusterTimings {
  certsMs: number
  etcdReadyMs: number
  apiserverReadyMs: number
  crdsEstablishedMs: number
  totalMs: number
}

export interface KubeCluster {
  server: string
  /** Kubeconfig with contexts ADMIN_CONTEXT (current) and LIMITED_CONTEXT, CA data inlined. */
  kubeconfigPath: string
  caPem: string
  adminToken: string
  limitedToken: string
  /** Names of the installed CRDs, e.g. rollouts.argoproj.io. */
  crds: string[]
  pids: { etcd: number; apiserver: number }
  dir: string
  timings: ClusterTimings
  stop(): Promise<void>
}

export interface StartOptions {
  apiserverBinary?: string
  /** CRD files to install; default: every file under REFERENCE_CRD_DIRS. */
  crdFiles?: string[]
  /** Leave the processes running when this Node process exits (the CLI). */
  detached?: boolean
}

/** The cached or configured kube-apiserver binary, if it exists. */
export function findApiserverBinary(): string | undefined {
  const candidate = process.env.RELEASE_GATE_KUBE_APISERVER ?? path.join(kubeCacheDir, 'bin/kube-apiserver')
  return isExecutable(candidate) ? candidate : undefined
}

export function findEtcdBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    const candidate = path.join(dir, 'etcd')
    if (dir && isExecutable(candidate)) return candidate
  }
  return undefined
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

export function referenceCrdFiles(): string[] {
  return REFERENCE_CRD_DIRS.flatMap((dir) => {
    const full = path.join(sharedReferenceDir, dir)
    return fs
      .readdirSync(full)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(full, f))
  })
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

function generateCertificates(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  run('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=release-gate-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  run('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver')
  fs.writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n')
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
    '-days', '2', '-extfile', 'server.ext')
  // The apiserver refuses to start without a service-account signing key, even though no pods run here.
  // SEC1 ("EC PRIVATE KEY"): 1.20 also derives the verification key from this file, and it does that only for
  // SEC1/PKCS#1 private keys; a PKCS#8 key fails with "does not contain any valid RSA or ECDSA public keys".
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key')
}

function logTail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

function startProcess(binary: string, args: string[], logFile: string, detached: boolean): ChildProcess {
  const log = fs.openSync(logFile, 'a')
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached })
  fs.closeSync(log)
  if (detached) child.unref()
  return child
}

async function waitUntil(what: string, logFile: string, child: ChildProcess, timeoutMs: number,
  probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready; ${logFile}:\n${logTail(logFile)}`)
    }
    if (await probe().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms; ${logFile}:\n${logTail(logFile)}`)
}

interface ApiResponse { status: number; body: string }

function apiRequest(server: string, ca: string, token: string, method: string, urlPath: string,
  body?: unknown): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = https.request(new URL(urlPath, server), {
      method, ca, headers: {
        authorization: `Bearer ${token}`, accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

function parseCrds(file: string): Record<string, any>[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS({ maxAliasCount: -1 }) as Record<string, any> | null)
    .filter((doc): doc is Record<string, any> => doc?.kind === 'CustomResourceDefinition')
}

// The upstream CRDs go in unmodified. An earlier recipe stripped `default: ""`, `x-kubernetes-list-type: map` and
// `x-kubernetes-validations` from them; the first was a Go 1.19 artefact of the build (see the openapi zero-check
// patch in build-apiserver.sh), the second only a consequence of stripping the first (a list-map key needs a default
// or `required`), and the third is dropped by 1.20 as an unknown field. So CEL rules are NOT enforced here.
async function installCrds(server: string, ca: string, token: string, files: string[]): Promise<string[]> {
  const crds = files.flatMap((file) => parseCrds(file).map((crd) => ({ file, crd })))
  await Promise.all(crds.map(async ({ file, crd }) => {
    const res = await apiRequest(server, ca, token, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)
    if (res.status !== 201) throw new Error(`${file}: CRD ${crd.metadata?.name} refused (${res.status}): ${res.body}`)
  }))
  const names: string[] = crds.map(({ crd }) => crd.metadata.name)
  for (const name of names) {
    const deadline = Date.now() + 30_000
    for (;;) {
      const res = await apiRequest(server, ca, token, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)
      const conditions: { type: string; status: string; message?: string }[] = JSON.parse(res.body).status?.conditions ?? []
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break
      const refused = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False')
      if (refused) throw new Error(`CRD ${name}: names not accepted: ${refused.message}`)
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 30 s: ${JSON.stringify(conditions)}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  return names
}

function kubeconfigYaml(server: string, caPem: string, adminToken: string, limitedToken: string): string {
  const cluster = 'release-gate-test'
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [
      { name: 'admin', user: { token: adminToken } },
      { name: LIMITED_USER, user: { token: limitedToken } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster, user: 'admin', namespace: 'default' } },
      { name: LIMITED_CONTEXT, context: { cluster, user: LIMITED_USER, namespace: 'default' } },
    ],
    'current-context': ADMIN_CONTEXT,
  })
}

/** Sends SIGTERM, waits up to 10 s, then SIGKILL. Only for PIDs this module started. */
async function stopPid(pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0) return // 0 or a negative PID would signal a whole process group
  const alive = () => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  if (!alive()) return
  process.kill(pid, 'SIGTERM')
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (!alive()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  if (alive()) process.kill(pid, 'SIGKILL')
}

/**
 * Starts etcd + kube-apiserver and installs the CRDs. Ports are picked free and then handed to the servers, so
 * another process can grab one in between: such a start is retried with new ports.
 */
export async function startCluster(options: StartOptions = {}): Promise<KubeCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(options)
    } catch (error) {
      if (attempt === 3 || !String(error).includes('address already in use')) throw error
    }
  }
}

async function startClusterOnce(options: StartOptions): Promise<KubeCluster> {
  const apiserverBinary = options.apiserverBinary ?? findApiserverBinary()
  if (!apiserverBinary) {
    throw new Error(`no kube-apiserver at ${path.join(kubeCacheDir, 'bin/kube-apiserver')}: run test/infra/kube/build-apiserver.sh (or set RELEASE_GATE_KUBE_APISERVER)`)
  }
  const etcdBinary = findEtcdBinary()
  if (!etcdBinary) throw new Error('no etcd on PATH: apt-get install etcd-server (build-apiserver.sh does)')
  const crdFiles = options.crdFiles ?? referenceCrdFiles()
  const detached = options.detached ?? false

  const t0 = performance.now()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-gate-kube-'))
  const children: ChildProcess[] = []
  const pids = { etcd: 0, apiserver: 0 }
  // A Vitest worker that dies mid-suite must not leave servers behind; kill() is synchronous, so 'exit' can do it.
  const killOnExit = () => children.forEach((c) => c.pid && c.exitCode === null && c.kill('SIGKILL'))
  if (!detached) process.on('exit', killOnExit)

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    process.off('exit', killOnExit)
    await stopPid(pids.apiserver).catch(() => undefined)
    await stopPid(pids.etcd).catch(() => undefined)
    fs.rmSync(dir, { recursive: true, force: true })
  }

  try {
    generateCertificates(dir)
    const certsDone = performance.now()
    const caPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')
    const adminToken = randomBytes(24).toString('hex')
    const limitedToken = randomBytes(24).toString('hex')
    // Format: token,user,uid[,"group1,group2"]. system:masters bypasses RBAC; the limited user has no groups,
    // so it can do only what a test grants it with a Role.
    fs.writeFileSync(path.join(dir, 'tokens.csv'),
      `${adminToken},release-gate-admin,uid-admin,"system:masters"\n${limitedToken},${LIMITED_USER},uid-limited\n`,
      { mode: 0o600 })

    const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()]
    const etcdLog = path.join(dir, 'etcd.log')
    const etcd = startProcess(etcdBinary, [
      '--name', 'release-gate', '--data-dir', path.join(dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-cluster', `release-gate=http://127.0.0.1:${etcdPeerPort}`,
    ], etcdLog, detached)
    children.push(etcd)
    pids.etcd = etcd.pid ?? 0
    await waitUntil('etcd', etcdLog, etcd, 20_000, async () => {
      const res = await fetch(`http://127.0.0.1:${etcdPort}/health`)
      return res.ok && (await res.json() as { health?: string }).health === 'true'
    })
    const etcdReady = performance.now()

    const server = `https://127.0.0.1:${apiPort}`
    const apiserverLog = path.join(dir, 'kube-apiserver.log')
    const apiserver = startProcess(apiserverBinary, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`, '--insecure-port=0',
      `--tls-cert-file=${path.join(dir, 'server.crt')}`, `--tls-private-key-file=${path.join(dir, 'server.key')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${path.join(dir, 'sa.key')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // No controller-manager creates the `default` ServiceAccount that the ServiceAccount admission plugin demands
      // of every pod; priority-and-fairness only adds background work here.
      '--disable-admission-plugins=ServiceAccount', '--enable-priority-and-fairness=false',
      '--profiling=false', '--logtostderr=true', '--v=0',
    ], apiserverLog, detached)
    children.push(apiserver)
    pids.apiserver = apiserver.pid ?? 0
    await waitUntil('kube-apiserver', apiserverLog, apiserver, 60_000, async () => {
      const res = await apiRequest(server, caPem, adminToken, 'GET', '/readyz')
      return res.status === 200
    })
    const apiserverReady = performance.now()

    const crds = await installCrds(server, caPem, adminToken, crdFiles)
    const crdsDone = performance.now()

    const kubeconfigPath = path.join(dir, 'kubeconfig.yaml')
    fs.writeFileSync(kubeconfigPath, kubeconfigYaml(server, caPem, adminToken, limitedToken), { mode: 0o600 })

    const timings: ClusterTimings = {
      certsMs: Math.round(certsDone - t0),
      etcdReadyMs: Math.round(etcdReady - certsDone),
      apiserverReadyMs: Math.round(apiserverReady - etcdReady),
      crdsEstablishedMs: Math.round(crdsDone - apiserverReady),
      totalMs: Math.round(crdsDone - t0),
    }
    return { server, kubeconfigPath, caPem, adminToken, limitedToken, crds, pids, dir, timings, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Resident memory of a process in MiB, from /proc (Linux only). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN
}

interface ClusterState { kubeconfigPath: string; server: string; dir: string; pids: { etcd: number; apiserver: number } }

/** True when PID still runs a command line that mentions the cluster's temp dir (guards against reused PIDs). */
function isOurProcess(pid: number, dir: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)
  } catch {
    return false
  }
}

async function stopRecorded(state: ClusterState): Promise<void> {
  for (const pid of [state.pids.apiserver, state.pids.etcd]) {
    if (isOurProcess(pid, state.dir)) await stopPid(pid)
  }
  fs.rmSync(state.dir, { recursive: true, force: true })
  fs.rmSync(stateFile, { force: true })
}

async function cli(command: string | undefined): Promise<void> {
  if (command === 'start') {
    if (fs.existsSync(stateFile)) {
      const previous = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ClusterState
      if (isOurProcess(previous.pids.apiserver, previous.dir)) {
        throw new Error(`a cluster from ${stateFile} is still running at ${previous.server} (run \`stop\` first)`)
      }
      await stopRecorded(previous) // left over by a crashed run: clean up what remains of it
    }
    const cluster = await startCluster({ detached: true })
    const state: ClusterState = { kubeconfigPath: cluster.kubeconfigPath, server: cluster.server, dir: cluster.dir, pids: cluster.pids }
    fs.mkdirSync(kubeCacheDir, { recursive: true })
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2))
    const t = cluster.timings
    console.error(`[kube] ${cluster.server}: ${cluster.crds.length} CRDs established; certs ${t.certsMs} ms, etcd ${t.etcdReadyMs} ms, ` +
      `apiserver /readyz ${t.apiserverReadyMs} ms, CRDs ${t.crdsEstablishedMs} ms, total ${t.totalMs} ms; ` +
      `RSS etcd ${rssMiB(cluster.pids.etcd)} MiB, kube-apiserver ${rssMiB(cluster.pids.apiserver)} MiB`)
    console.log(`export RELEASE_GATE_KUBECONFIG=${cluster.kubeconfigPath}`)
  } else if (command === 'stop') {
    if (!fs.existsSync(stateFile)) {
      console.error(`[kube] no ${stateFile}: nothing to stop`)
      return
    }
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ClusterState
    await stopRecorded(state)
    console.error(`[kube] stopped ${state.server}`)
  } else {
    throw new Error('usage: cluster.ts start|stop')
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv[2]).catch((error: unknown) => {
    console.error(`[kube] ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
}
