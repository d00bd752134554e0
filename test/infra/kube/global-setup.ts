// Vitest globalSetup: one cluster for every test file of the run instead of one per file. Enable it with
// `globalSetup: ['test/infra/kube/global-setup.ts']` in vitest.config.ts. It exports RELEASE_GATE_KUBECONFIG,
// which the forked test workers inherit and kubeTestCluster() picks up. When the binary is missing it does
// nothing, and each file decides to skip (or, with CI=true, to fail).
import fs from 'node:fs'
import { findApiserverBinary, findEtcdBinary, sharedReferenceDir, startCluster } from './cluster.js'

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.RELEASE_GATE_KUBECONFIG) return undefined
  if (!findApiserverBinary() || !findEtcdBinary() || !fs.existsSync(sharedReferenceDir)) return undefined
  const cluster = await startCluster()
  process.env.RELEASE_GATE_KUBECONFIG = cluster.kubeconfigPath
  return async () => {
    delete process.env.RELEASE_GATE_KUBECONFIG
    await cluster.stop()
  }
}
