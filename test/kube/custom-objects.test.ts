import { ApiextensionsV1Api, KubeConfig } from '@kubernetes/client-node'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  KubeApiError, KubeClient, POD_CHAOS, ROLLOUTS, type KubeObject,
} from '../../src/kube/index.js'
import {
  ADMIN_CONTEXT, LIMITED_CONTEXT, createTestNamespace, grantLimitedUser, kubeConfigFor, kubeTestCluster,
} from '../infra/kube/test-cluster.js'
import { asNewObject, referenceObjects } from './reference-objects.js'

const kube = kubeTestCluster()

async function rejection(promise: Promise<unknown>): Promise<KubeApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(KubeApiError)
  return error as KubeApiError
}

describe.skipIf(!kube.available)('custom objects on a real kube-apiserver v1.20', () => {
  const cluster = kube.use()
  let admin: KubeClient
  let ns: string

  beforeAll(async () => {
    admin = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: ADMIN_CONTEXT })
    ns = await createTestNamespace(cluster(), 'rg-objects')
  })

  it('has every upstream CRD from ../shared/reference established', async () => {
    const api = kubeConfigFor(cluster(), ADMIN_CONTEXT).makeApiClient(ApiextensionsV1Api)
    const crds = (await api.listCustomResourceDefinition()).items
    const established = crds
      .filter((crd) => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
      .map((crd) => crd.metadata?.name)
      .sort()
    expect(established).toEqual([
      'analysisruns.argoproj.io', 'analysistemplates.argoproj.io',
      'chaosengines.litmuschaos.io', 'chaosexperiments.litmuschaos.io', 'chaosresults.litmuschaos.io',
      'dnschaos.chaos-mesh.org', 'httpchaos.chaos-mesh.org', 'iochaos.chaos-mesh.org', 'networkchaos.chaos-mesh.org',
      'podchaos.chaos-mesh.org', 'rollouts.argoproj.io', 'schedules.chaos-mesh.org', 'statuschecks.chaos-mesh.org',
      'stresschaos.chaos-mesh.org', 'timechaos.chaos-mesh.org', 'workflows.chaos-mesh.org',
    ])
  })

  it('creates, reads, merge-patches spec and /status, and deletes an upstream Rollout', async () => {
    const [example] = referenceObjects('argo-rollouts/examples/rollout-canary-paused-at-step.yaml')
    const { object, status } = asNewObject(example!, ns)

    const created = await admin.create(ROLLOUTS, ns, object)
    expect(created.metadata.generation).toBe(1)
    expect(created.status).toBeUndefined()
    expect((await admin.get(ROLLOUTS, ns, 'rollouts-demo')).spec).toEqual(object.spec)

    const paused = await admin.mergePatch(ROLLOUTS, ns, 'rollouts-demo', { spec: { paused: true } })
    expect(paused.spec).toMatchObject({ paused: true, replicas: 5 })
    expect(paused.metadata.generation).toBe(2)

    const withStatus = await admin.mergePatchStatus(ROLLOUTS, ns, 'rollouts-demo', { status } as Record<string, unknown>)
    expect(withStatus.status).toEqual(status)
    expect(withStatus.metadata.generation).toBe(2) // status writes never bump generation

    // What `kubectl argo rollouts promote` sends for a canary paused at a pause step: null deletes the key.
    const promoted = await admin.mergePatchStatus(ROLLOUTS, ns, 'rollouts-demo', { status: { pauseConditions: null } })
    expect(promoted.status).not.toHaveProperty('pauseConditions')
    expect(promoted.status).toMatchObject({ controllerPause: true, currentStepIndex: 1 })

    await admin.delete(ROLLOUTS, ns, 'rollouts-demo')
    const missing = await rejection(admin.get(ROLLOUTS, ns, 'rollouts-demo'))
    expect(missing.isNotFound).toBe(true)
    expect(missing.message).toBe(
      `cannot get rollouts.argoproj.io "rollouts-demo" in namespace ${ns} (404 NotFound): ` +
        'rollouts.argoproj.io "rollouts-demo" not found')
  })

  it('ignores status sent to the main resource of a CRD with a status subresource', async () => {
    const [example] = referenceObjects('argo-rollouts/examples/rollout-canary-aborted.yaml')
    const { object } = asNewObject(example!, ns)
    const name = object.metadata.name
    await admin.create(ROLLOUTS, ns, object)

    const patched = await admin.mergePatch(ROLLOUTS, ns, name, { status: { abort: true } })
    expect(patched.status).toBeUndefined()
    expect(patched.metadata.generation).toBe(1)
    expect((await admin.mergePatchStatus(ROLLOUTS, ns, name, { status: { abort: true } })).status).toEqual({ abort: true })
  })

  it('keeps PodChaos status on the main resource (no status subresource) and validates it', async () => {
    const [example] = referenceObjects('chaos-mesh/examples/finished-podkill-and-stresschaos.issue3316.yaml')
    const { object, status } = asNewObject(example!, ns)

    // The object names only spec.action; the v2.8.3 schema requires mode and selector as well.
    const invalid = await rejection(admin.create(POD_CHAOS, ns, object))
    expect(invalid.code).toBe(422)
    expect(invalid.reason).toBe('Invalid')
    expect(invalid.message).toContain('spec.mode: Required value')
    expect(invalid.message).toContain('spec.selector: Required value')

    const podChaos: KubeObject = { ...object, spec: { ...(object.spec as object), mode: 'one', selector: { namespaces: [ns] } } }
    const name = podChaos.metadata.name
    await admin.create(POD_CHAOS, ns, podChaos)

    const noSubresource = await rejection(admin.mergePatchStatus(POD_CHAOS, ns, name, { status }))
    expect(noSubresource.code).toBe(404)
    expect(noSubresource.message).toMatch(`cannot patch podchaos.chaos-mesh.org/status "${name}" in namespace ${ns} (404 NotFound)`)

    // The records predate the required injectedCount/recoveredCount.
    const staleShape = await rejection(admin.mergePatch(POD_CHAOS, ns, name, { status }))
    expect(staleShape.code).toBe(422)
    expect(staleShape.message).toContain('status.experiment.containerRecords.injectedCount: Required value')

    const records = [{ id: `${ns}/nginx-0`, phase: 'Injected', selectorKey: '.', injectedCount: 1, recoveredCount: 0 }]
    const current = { ...(status as object), experiment: { containerRecords: records, desiredPhase: 'Run' } }
    const patched = await admin.mergePatch(POD_CHAOS, ns, name, { status: current })
    expect(patched.status).toEqual(current)
    expect(patched.metadata.generation).toBe(2) // without a status subresource a status change bumps generation too

    await admin.delete(POD_CHAOS, ns, name)
    expect((await admin.list(POD_CHAOS, ns)).items).toEqual([])
  })

  it('surfaces 409 typed: AlreadyExists on create, Conflict on a stale resourceVersion', async () => {
    const [example] = referenceObjects('argo-rollouts/examples/rollout-bluegreen-paused-awaiting-promotion.yaml')
    const { object } = asNewObject(example!, ns)
    const name = object.metadata.name
    const created = await admin.create(ROLLOUTS, ns, object)

    const duplicate = await rejection(admin.create(ROLLOUTS, ns, object))
    expect(duplicate).toMatchObject({ code: 409, reason: 'AlreadyExists', isConflict: true })
    expect(duplicate.message).toBe(`cannot create rollouts.argoproj.io "${name}" in namespace ${ns}: it already exists (409 AlreadyExists)`)

    const readVersion = created.metadata.resourceVersion!
    await admin.mergePatch(ROLLOUTS, ns, name, { spec: { paused: true } }, { resourceVersion: readVersion })
    const stale = await rejection(admin.mergePatch(ROLLOUTS, ns, name, { spec: { paused: false } }, { resourceVersion: readVersion }))
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict', isConflict: true })
    expect(stale.message).toBe(
      `cannot patch rollouts.argoproj.io "${name}" in namespace ${ns}: it was modified since it was read (409 Conflict); read it again and retry`)
    expect((await admin.get(ROLLOUTS, ns, name)).spec).toMatchObject({ paused: true })
  })

  it('names the missing RBAC permission on 403, and the named grant is enough', async () => {
    const [example] = referenceObjects('argo-rollouts/examples/rollout-canary-unpausing-after-pause-cleared.yaml')
    const { object } = asNewObject(example!, ns)
    const name = object.metadata.name
    await admin.create(ROLLOUTS, ns, object)
    const limited = KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: LIMITED_CONTEXT })
    await grantLimitedUser(cluster(), ns, [{ apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'patch'] }])

    await expect.poll(() => limited.get(ROLLOUTS, ns, name).then(() => true, () => false), { timeout: 5_000 }).toBe(true)
    const forbidden = await rejection(limited.mergePatchStatus(ROLLOUTS, ns, name, { status: { abort: true } }))
    expect(forbidden).toMatchObject({ code: 403, reason: 'Forbidden', isForbidden: true })
    expect(forbidden.message).toBe(
      `cannot patch rollouts.argoproj.io/status "${name}" in namespace ${ns}: add verb patch on resource rollouts/status ` +
        '(apiGroups: ["argoproj.io"]) to the Role bound to user "release-gate-limited"')

    await grantLimitedUser(cluster(), ns, [
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts/status'], verbs: ['patch'] },
    ])
    await expect.poll(() => limited.mergePatchStatus(ROLLOUTS, ns, name, { status: { abort: true } })
      .then((r) => r.status, () => undefined), { timeout: 5_000 }).toMatchObject({ abort: true })
  })

  it('reports rejected credentials as 401 naming the call', async () => {
    const kubeConfig = kubeConfigFor(cluster(), ADMIN_CONTEXT)
    const wrongToken = new KubeConfig()
    wrongToken.loadFromOptions({
      clusters: kubeConfig.getClusters(),
      users: [{ name: 'admin', token: 'not-a-token' }],
      contexts: kubeConfig.getContexts(),
      currentContext: ADMIN_CONTEXT,
    })
    const error = await rejection(new KubeClient(wrongToken).list(ROLLOUTS, ns))
    expect(error).toMatchObject({ code: 401, reason: 'Unauthorized' })
    expect(error.message).toBe(
      `cannot list rollouts.argoproj.io in namespace ${ns}: the API server rejected the credentials (401 Unauthorized); check the kubeconfig user`)
  })

  it('names the kubeconfig context that does not exist', () => {
    expect(() => KubeClient.load({ kubeconfigPath: cluster().kubeconfigPath, context: 'prod' })).toThrow(
      `kubeconfig context "prod" not found in ${cluster().kubeconfigPath} (contexts: ${ADMIN_CONTEXT}, ${LIMITED_CONTEXT})`)
  })
})
