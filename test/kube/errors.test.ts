import { once } from 'node:events'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { KubeApiError, KubeClient, ROLLOUTS, loadKubeConfig, toKubeApiError } from '../../src/kube/index.js'

async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

describe('KubeApiError without a cluster', () => {
  it('names the operation and the transport cause when nothing answers', async () => {
    const port = await closedPort()
    const kubeConfig = new KubeConfig()
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'gone', server: `https://127.0.0.1:${port}`, skipTLSVerify: false }],
      users: [{ name: 'ci', token: 'unused' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'ci' }],
      currentContext: 'gone',
    })
    const error = await new KubeClient(kubeConfig).get(ROLLOUTS, 'staging', 'web').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KubeApiError)
    expect(error).toMatchObject({ code: 0, operation: { verb: 'get', plural: 'rollouts', namespace: 'staging', name: 'web' } })
    expect((error as KubeApiError).message).toBe(
      `cannot get rollouts.argoproj.io "web" in namespace staging: no response from the API server: ` +
        `fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`)
  })

  it('keeps the HTTP status a failed watch request reports', () => {
    const failed = Object.assign(new Error('Forbidden'), { statusCode: 403 })
    const error = toKubeApiError({ verb: 'watch', group: 'chaos-mesh.org', plural: 'podchaos', namespace: 'chaos' }, failed)
    expect(error).toMatchObject({ code: 403, isForbidden: true })
    expect(error.message).toBe(
      'cannot watch podchaos.chaos-mesh.org in namespace chaos: add verb watch on resource podchaos (apiGroups: ["chaos-mesh.org"]) to the Role')
  })
})

describe('loadKubeConfig', () => {
  it('says where it looked when there is no kubeconfig at all', () => {
    const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG }
    const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-home-'))
    try {
      process.env.HOME = emptyHome
      delete process.env.KUBECONFIG
      expect(() => loadKubeConfig()).toThrow(
        'no kubeconfig: set KUBECONFIG, create ~/.kube/config, pass a kubeconfig path, or run in a pod with a service account')
    } finally {
      Object.assign(process.env, saved)
      if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG
      fs.rmSync(emptyHome, { recursive: true })
    }
  })

  it('reads $KUBECONFIG through the default chain', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-kubeconfig-'))
    const file = path.join(dir, 'config')
    fs.writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: stage',
      'clusters: [{name: stage, cluster: {server: "https://10.1.2.3:6443"}}]',
      'users: [{name: ci, user: {token: t}}]',
      'contexts: [{name: stage, context: {cluster: stage, user: ci, namespace: rollouts}}]',
    ].join('\n'))
    const saved = process.env.KUBECONFIG
    try {
      process.env.KUBECONFIG = file
      const client = new KubeClient(loadKubeConfig())
      expect(client.kubeConfig.getCurrentCluster()?.server).toBe('https://10.1.2.3:6443')
      expect(client.defaultNamespace).toBe('rollouts')
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG
      else process.env.KUBECONFIG = saved
      fs.rmSync(dir, { recursive: true })
    }
  })
})
