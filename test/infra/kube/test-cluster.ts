// How a Vitest file gets the real Kubernetes API:
//   const kube = kubeTestCluster()
//   describe.skipIf(!kube.available)('...', () => { const cluster = kube.use(); ... cluster().kubeconfigPath ... })
// Order of preference: RELEASE_GATE_KUBECONFIG (a cluster started by `cluster.ts start` or by global-setup.ts)
// -> a private cluster for this file when the apiserver binary is built -> skip with a printed notice.
// With CI=true a missing cluster is an error instead of a skip, so CI can never pass by skipping.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node'
import { afterAll, beforeAll } from 'vitest'
import {
  ADMIN_CONTEXT, LIMITED_CONTEXT, LIMITED_USER, findApiserverBinary, findEtcdBinary, kubeCacheDir, sharedReferenceDir,
  startCluster, type KubeCluster,
} from './cluster.js'

export { ADMIN_CONTEXT, LIMITED_CONTEXT, LIMITED_USER, sharedReferenceDir }

export type KubeAvailability =
  | { mode: 'external'; kubeconfigPath: string }
  | { mode: 'own' }
  | { mode: 'skip'; reason: string }

export interface AvailabilityInputs {
  env: Record<string, string | undefined>
  referenceExists: boolean
  apiserverBinary: string | undefined
  etcdBinary: string | undefined
  kubeconfigExists: (file: string) => boolean
}

/** The decision alone, so it can be tested without a cluster. Throws where skipping would hide a broken setup. */
export function decideKubeAvailability(inputs: AvailabilityInputs): KubeAvailability {
  const external = inputs.env.RELEASE_GATE_KUBECONFIG
  if (external) {
    if (!inputs.kubeconfigExists(external)) throw new Error(`RELEASE_GATE_KUBECONFIG=${external} does not exist`)
    return { mode: 'external', kubeconfigPath: external }
  }
  let reason: string | undefined
  if (!inputs.referenceExists) reason = '../shared/reference (upstream CRDs) is absent'
  else if (!inputs.apiserverBinary) {
    const where = inputs.env.RELEASE_GATE_KUBE_APISERVER ?? `${kubeCacheDir}/bin/kube-apiserver`
    reason = `no kube-apiserver at ${where}; build it with test/infra/kube/build-apiserver.sh`
  }
  else if (!inputs.etcdBinary) reason = 'no etcd on PATH; apt-get install etcd-server (build-apiserver.sh does)'
  if (reason === undefined) return { mode: 'own' }
  if (inputs.env.CI === 'true') throw new Error(`CI=true and no Kubernetes API for the tests: ${reason}`)
  return { mode: 'skip', reason }
}

export interface TestCluster {
  kubeconfigPath: string
}

export function kubeTestCluster(): { available: boolean; use(): () => TestCluster } {
  const availability = decideKubeAvailability({
    env: process.env,
    referenceExists: fs.existsSync(sharedReferenceDir),
    apiserverBinary: findApiserverBinary(),
    etcdBinary: findEtcdBinary(),
    kubeconfigExists: (file) => fs.existsSync(file),
  })
  if (availability.mode === 'skip') console.warn(`[kube] skipping tests that need a Kubernetes API: ${availability.reason}`)
  return {
    available: availability.mode !== 'skip',
    use() {
      let cluster: TestCluster | undefined
      let started: KubeCluster | undefined
      beforeAll(async () => {
        if (availability.mode === 'external') cluster = { kubeconfigPath: availability.kubeconfigPath }
        else {
          started = await startCluster()
          cluster = { kubeconfigPath: started.kubeconfigPath }
        }
      })
      afterAll(async () => {
        await started?.stop()
      })
      return () => {
        if (!cluster) throw new Error('the test cluster is not started yet (call its getter inside a test or hook)')
        return cluster
      }
    },
  }
}

export function kubeConfigFor(cluster: TestCluster, context: string): KubeConfig {
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromFile(cluster.kubeconfigPath)
  kubeConfig.setCurrentContext(context)
  return kubeConfig
}

/** A fresh namespace per test file, so files sharing one cluster never see each other's objects. */
export async function createTestNamespace(cluster: TestCluster, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`
  await kubeConfigFor(cluster, ADMIN_CONTEXT).makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } })
  return name
}

/** Binds a Role with exactly these rules to the limited user in the namespace (replacing an earlier grant). */
export async function grantLimitedUser(cluster: TestCluster, namespace: string, rules: V1PolicyRule[]): Promise<void> {
  const rbac = kubeConfigFor(cluster, ADMIN_CONTEXT).makeApiClient(RbacAuthorizationV1Api)
  const name = 'release-gate-test'
  await rbac.deleteNamespacedRole({ name, namespace }).catch(() => undefined)
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } })
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: LIMITED_USER }],
    },
  }).catch((error: { code?: number }) => {
    if (error.code !== 409) throw error // the binding from an earlier grant still points at the same Role name
  })
}
