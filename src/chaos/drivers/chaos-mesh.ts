/**
 * Chaos Mesh: one chaos object per experiment (PodChaos, NetworkChaos, ...). Its status has no
 * subresource and the controller writes the whole object, so this driver only ever merge-patches
 * metadata (pause, force-clean) and never PUTs. Conditions come in random order (read by type); a
 * record phase "Not Injected" has a space and impl-specific "/Wait" suffixes (matched by prefix).
 */
import type { KubeClient, KubeObject, ResourceType } from '../../kube/index.js'
import { CHAOS_MESH_KINDS, type ChaosManifest } from '../target.js'
import {
  deleteAndWait, goDuration, ignoreNotFound, newObject, uniqueName,
  type ChaosDriver, type ChaosHandle, type Observation,
} from './common.js'

export const PAUSE_ANNOTATION = 'experiment.chaos-mesh.org/pause'
export const FORCE_CLEAN_ANNOTATION = 'chaos-mesh.chaos-mesh.org/cleanFinalizer'
export const RECORDS_FINALIZER = 'chaos-mesh/records'

export function chaosMeshType(kind: string): ResourceType {
  return { group: 'chaos-mesh.org', version: 'v1alpha1', plural: kind.toLowerCase() }
}

/** Faults that happen once and are never "recovered" (CM `+chaos-mesh:oneshot`): finished when injected. */
export function isOneShot(kind: string, spec: Record<string, unknown> | undefined): boolean {
  return kind === 'PodChaos' && (spec?.action === 'pod-kill' || spec?.action === 'container-kill')
}

interface RecordEvent { type?: string; operation?: string; message?: string }
interface ContainerRecord { id?: string; phase?: string; injectedCount?: number; recoveredCount?: number; events?: RecordEvent[] }
interface ChaosStatus {
  conditions?: { type?: string; status?: string }[]
  experiment?: { desiredPhase?: string; containerRecords?: ContainerRecord[] | null }
}

const injected = (r: ContainerRecord) => r.phase === 'Injected'
const notInjected = (r: ContainerRecord) => (r.phase ?? '').startsWith('Not Injected')

/**
 * The experiment as the controller reports it (notes §1.8). Pure: the same object always gives the same
 * observation, whichever order its conditions arrive in.
 */
export function observeChaosMesh(object: KubeObject): Observation {
  const status = (object.status ?? {}) as ChaosStatus
  const spec = object.spec as Record<string, unknown> | undefined
  const condition = (type: string) => status.conditions?.find((c) => c.type === type)?.status === 'True'
  const records = status.experiment?.containerRecords ?? []
  const desired = status.experiment?.desiredPhase ?? '(none)'
  const counts = records.map((r) => `${r.id ?? '?'}: ${r.phase ?? '?'} injected ${r.injectedCount ?? 0} recovered ${r.recoveredCount ?? 0}`).join('; ')
  const everyInjectedOnce = records.length > 0 && records.every((r) => (r.injectedCount ?? 0) > 0)

  if (records.length === 0 || !condition('Selected'))
    return { phase: 'NotSelected', detail: `desiredPhase ${desired}, no target selected yet`, selected: false, injected: false }

  const failedApply = records.find((r) => { const last = r.events?.at(-1); return last?.type === 'Failed' && last.operation === 'Apply' })
  if (failedApply && !everyInjectedOnce)
    return { phase: 'InjectFailed', detail: `${failedApply.id}: ${failedApply.events!.at(-1)!.message ?? 'apply failed'}`, selected: true, injected: false }

  if (condition('AllInjected') && records.every(injected) && everyInjectedOnce) {
    if (isOneShot(object.kind, spec))
      return { phase: 'AllInjected', detail: `one-shot ${String(spec?.action)} done on ${records.length} target(s): ${counts}`, selected: true, injected: true, outcome: 'pass' }
    return { phase: 'AllInjected', detail: `${records.length} target(s) injected: ${counts}`, selected: true, injected: true }
  }

  if (desired === 'Stop' && condition('AllRecovered') && records.every(notInjected)) {
    const unrecovered = records.filter((r) => (r.recoveredCount ?? 0) < (r.injectedCount ?? 0))
    if (!everyInjectedOnce)
      return { phase: 'AllRecovered', detail: `finished, but not every record was ever injected: ${counts}`, selected: true, injected: false, outcome: 'fail' }
    if (unrecovered.length > 0)
      return { phase: 'Recovering', detail: `recovered fewer times than injected: ${counts}`, selected: true, injected: true }
    return { phase: 'AllRecovered', detail: `${records.length} target(s) injected and recovered: ${counts}`, selected: true, injected: true, outcome: 'pass' }
  }

  const failedRecover = records.find((r) => { const last = r.events?.at(-1); return last?.type === 'Failed' && last.operation === 'Recover' })
  if (failedRecover) return { phase: 'RecoverFailed', detail: `${failedRecover.id}: ${failedRecover.events!.at(-1)!.message ?? 'recover failed'}`, selected: true, injected: everyInjectedOnce }
  return { phase: desired === 'Stop' ? 'Recovering' : 'Injecting', detail: counts, selected: true, injected: everyInjectedOnce }
}

export const chaosMeshDriver: ChaosDriver = {
  name: 'chaos-mesh',
  capabilities: { pause: true, injectionCount: true, recoveryObservable: true, forceClean: true },
  resourceTypes: CHAOS_MESH_KINDS.map(chaosMeshType),

  async create(client: KubeClient, manifest: ChaosManifest, options): Promise<ChaosHandle> {
    const kind = String(manifest.kind)
    const type = chaosMeshType(kind)
    const namespace = typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : 'default'
    const object = newObject(manifest, uniqueName(String(manifest.metadata?.name ?? kind.toLowerCase())), options.labels)
    object.metadata.namespace = namespace
    // The dead-man's switch: the controller stops the fault by itself even if this process dies.
    const duration = goDuration(options.durationMs)
    object.spec = { ...(object.spec as object), duration }
    const created = await client.create(type, namespace, object)
    return {
      driver: 'chaos-mesh', type, kind, namespace, name: created.metadata.name, uid: created.metadata.uid ?? '',
      experiments: [], duration, createdAt: Date.now(),
    }
  },

  observe(client, handle, onObservation) {
    const watch = client.watch(handle.type, handle.namespace, (event) => {
      if (event.object.metadata.uid !== handle.uid) return
      if (event.type === 'DELETED') onObservation({ phase: 'Deleted', detail: 'the object is gone', selected: false, injected: false })
      else onObservation(observeChaosMesh(event.object))
    }, { fieldSelector: `metadata.name=${handle.name}` })
    return { done: watch.done, stop: () => watch.stop() }
  },

  stop(client, handle) {
    return ignoreNotFound(client.mergePatch(handle.type, handle.namespace, handle.name, { metadata: { annotations: { [PAUSE_ANNOTATION]: 'true' } } }))
  },

  cleanup(client, object, timeoutMs) {
    return deleteAndWait(client, object, timeoutMs, () =>
      ignoreNotFound(client.mergePatch(object.type, object.namespace, object.name, { metadata: { annotations: { [FORCE_CLEAN_ANNOTATION]: 'forced' } } })))
  },
}
