import { describe, expect, it } from 'vitest'
import { decideKubeAvailability, type AvailabilityInputs } from '../infra/kube/test-cluster.js'

const built: AvailabilityInputs = {
  env: {},
  referenceExists: true,
  apiserverBinary: '/cache/bin/kube-apiserver',
  etcdBinary: '/usr/bin/etcd',
  kubeconfigExists: () => true,
}

describe('whether kube tests run, skip or fail', () => {
  it('uses RELEASE_GATE_KUBECONFIG when set, even without a local binary', () => {
    expect(decideKubeAvailability({ ...built, apiserverBinary: undefined, env: { RELEASE_GATE_KUBECONFIG: 'k.yaml' } }))
      .toEqual({ mode: 'external', kubeconfigPath: 'k.yaml' })
  })

  it('fails when RELEASE_GATE_KUBECONFIG points at nothing', () => {
    expect(() => decideKubeAvailability({ ...built, env: { RELEASE_GATE_KUBECONFIG: 'gone.yaml' }, kubeconfigExists: () => false }))
      .toThrow('RELEASE_GATE_KUBECONFIG=gone.yaml does not exist')
  })

  it('starts its own cluster when the binaries are there', () => {
    expect(decideKubeAvailability(built)).toEqual({ mode: 'own' })
  })

  it('skips with the reason on a dev machine without the apiserver binary', () => {
    const decision = decideKubeAvailability({ ...built, apiserverBinary: undefined })
    expect(decision.mode).toBe('skip')
    expect(decision).toHaveProperty('reason', expect.stringContaining('build it with test/infra/kube/build-apiserver.sh'))
  })

  it('refuses to skip with CI=true', () => {
    expect(() => decideKubeAvailability({ ...built, apiserverBinary: undefined, env: { CI: 'true' } }))
      .toThrow(/^CI=true and no Kubernetes API for the tests: no kube-apiserver at /)
    expect(() => decideKubeAvailability({ ...built, etcdBinary: undefined, env: { CI: 'true' } }))
      .toThrow('CI=true and no Kubernetes API for the tests: no etcd on PATH')
  })
})
