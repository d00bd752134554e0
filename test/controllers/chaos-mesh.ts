/**
 * Plays the Chaos Mesh controller-manager on a real API server for the chaos kinds in one namespace, with
 * the reconcile order of chaos-mesh v2.8.3 (notes §1.2–1.5): finalizer init → desiredPhase → records →
 * conditions → finalizer clean. Like upstream it writes the WHOLE object with PUT (there is no status
 * subresource), so a client that PUT a stale copy would clobber status — the driver must only merge-patch.
 * - desiredPhase: deleted → Stop; one-shot (pod-kill, container-kill) → Run; creation+duration passed → Stop;
 *   pause annotation "true" → Stop; else Run.
 * - records are selected once from a fixed list of pods (there are no pods on this server); zero matches
 *   leave records nil (Selected=False), as upstream's "no target has been selected" path does.
 * - Run & not Injected → Apply (injectedCount+1); Stop & not "Not Injected" → Recover (recoveredCount+1),
 *   unless `failRecover` makes every recovery fail (Failed/Recover event, phase stays Injected).
 * - conditions Selected/AllInjected/AllRecovered/Paused in a random order each write.
 * - the `chaos-mesh/records` finalizer goes when every record is "Not Injected" or when the force-clean
 *   annotation is set.
 * - core/v1 Events as upstream's recorder writes them (notes §1.6): Warning `Failed` "Failed to select
 *   targets: no target has been selected" when nothing matches, Normal `Applied` "Successfully apply chaos
 *   for <id>" per injection, with the chaos-mesh.org/* annotations.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import { KubeApiError, type KubeClient, type KubeObject, type ResumableWatch } from '../../src/kube/index.js'
import { FORCE_CLEAN_ANNOTATION, PAUSE_ANNOTATION, RECORDS_FINALIZER, chaosMeshType, isOneShot } from '../../src/chaos/drivers/chaos-mesh.js'
import { CHAOS_MESH_KINDS } from '../../src/chaos/target.js'
import { eventRecorder } from './events.js'

export interface FakePod {
  namespace: string
  name: string
  labels: Record<string, string>
}

export interface ChaosMeshControllerOptions {
  /** The pods selectors can match. */
  pods: FakePod[]
  /** Every Recover fails, so deletion sticks on the finalizer until the force-clean annotation. */
  failRecover?: boolean
}

interface Record_ {
  id: string
  selectorKey: string
  phase: string
  injectedCount: number
  recoveredCount: number
  events: { type: string; operation: string; message?: string; timestamp: string }[]
}

export class ChaosMeshTestController {
  /** PUTs this controller made, per object name. */
  readonly writes = new Map<string, number>()
  private readonly watches: ResumableWatch[]
  private readonly api: CustomObjectsApi
  private readonly recordEvent: ReturnType<typeof eventRecorder>
  private readonly queues = new Map<string, Promise<void>>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private stopped = false
  private failure: unknown

  constructor(client: KubeClient, kubeConfig: KubeConfig, private readonly namespace: string, private readonly options: ChaosMeshControllerOptions) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi)
    this.recordEvent = eventRecorder(kubeConfig, namespace)
    this.watches = CHAOS_MESH_KINDS.map((kind) => client.watch(chaosMeshType(kind), namespace, (event) => {
      if (event.type !== 'DELETED') this.enqueue(event.object)
    }))
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const w of this.watches) w.stop()
    for (const t of this.timers) clearTimeout(t)
    await Promise.all(this.queues.values())
    if (this.failure) throw this.failure
  }

  private enqueue(object: KubeObject): void {
    const key = `${object.kind}/${object.metadata.name}`
    const previous = this.queues.get(key) ?? Promise.resolve()
    this.queues.set(key, previous.then(() => this.reconcile(object.kind, object.metadata.name)).catch((error: unknown) => {
      if (!this.stopped) this.failure ??= error
    }))
  }

  private async reconcile(kind: string, name: string): Promise<void> {
    if (this.stopped) return
    const type = chaosMeshType(kind)
    let object: KubeObject
    try {
      object = (await this.api.getNamespacedCustomObject({ ...type, namespace: this.namespace, name })) as KubeObject
    } catch (error) {
      if ((error as { code?: number }).code === 404) return
      throw error
    }
    const before = canonical(object)
    const meta = object.metadata as KubeObject['metadata'] & { finalizers?: string[]; deletionTimestamp?: string; creationTimestamp?: string }
    const spec = (object.spec ?? {}) as Record<string, unknown>
    const status = ((object.status ??= {}) as { experiment?: { desiredPhase?: string; containerRecords?: Record_[] | null }; conditions?: unknown[] })
    const experiment = (status.experiment ??= {})
    const deleted = meta.deletionTimestamp !== undefined
    const now = new Date()

    if (!deleted && !(meta.finalizers ?? []).includes(RECORDS_FINALIZER)) meta.finalizers = [...(meta.finalizers ?? []), RECORDS_FINALIZER]

    const paused = meta.annotations?.[PAUSE_ANNOTATION] === 'true'
    const deadline = typeof spec.duration === 'string' ? Date.parse(meta.creationTimestamp!) + goDurationMs(spec.duration) : Infinity
    const desired = deleted ? 'Stop' : isOneShot(kind, spec) ? 'Run' : now.getTime() >= deadline ? 'Stop' : paused ? 'Stop' : 'Run'
    experiment.desiredPhase = desired
    if (desired === 'Run' && Number.isFinite(deadline)) this.requeueAt(kind, name, deadline)

    if (experiment.containerRecords == null) {
      const targets = this.select(spec, this.namespace)
      // Upstream: "Failed to select targets: no target has been selected", records stay nil, no requeue.
      experiment.containerRecords = targets.length === 0 ? null : targets.map((p) => ({ id: `${p.namespace}/${p.name}`, selectorKey: '.', phase: 'Not Injected', injectedCount: 0, recoveredCount: 0, events: [] }))
      if (targets.length === 0) await this.record(object, 'Warning', 'Failed', 'Failed to select targets: no target has been selected', { type: 'failed', activity: 'select targets', err: 'no target has been selected' })
    }
    const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z')
    for (const record of experiment.containerRecords ?? []) {
      if (desired === 'Run' && record.phase !== 'Injected') {
        record.phase = 'Injected'
        record.injectedCount++
        record.events.push({ type: 'Succeeded', operation: 'Apply', timestamp: stamp })
        await this.record(object, 'Normal', 'Applied', `Successfully apply chaos for ${record.id}`, { type: 'applied', id: record.id })
      } else if (desired === 'Stop' && !record.phase.startsWith('Not Injected')) {
        if (this.options.failRecover) {
          if (record.events.at(-1)?.operation !== 'Recover') record.events.push({ type: 'Failed', operation: 'Recover', message: 'test controller: recovery refused', timestamp: stamp })
        } else {
          record.phase = 'Not Injected'
          record.recoveredCount++
          record.events.push({ type: 'Succeeded', operation: 'Recover', timestamp: stamp })
        }
      }
    }
    const records = experiment.containerRecords
    const conditions = [
      { type: 'Selected', status: records != null ? 'True' : 'False', reason: '' },
      { type: 'AllInjected', status: records != null && records.every((r) => r.phase === 'Injected') ? 'True' : 'False', reason: '' },
      { type: 'AllRecovered', status: records != null && records.every((r) => r.phase === 'Not Injected') ? 'True' : 'False', reason: '' },
      { type: 'Paused', status: paused ? 'True' : 'False', reason: '' },
    ]
    // A Go map iteration: no stable order.
    status.conditions = conditions.sort(() => Math.random() - 0.5)

    if (deleted && ((records ?? []).every((r) => r.phase.startsWith('Not Injected')) || meta.annotations?.[FORCE_CLEAN_ANNOTATION] === 'forced'))
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== RECORDS_FINALIZER)

    if (canonical(object) === before) return
    try {
      await this.api.replaceNamespacedCustomObject({ ...type, namespace: this.namespace, name, body: object })
      this.writes.set(name, (this.writes.get(name) ?? 0) + 1)
    } catch (error) {
      // 409: changed since read (the watch brings the new version); 404: gone.
      const code = (error as { code?: number }).code
      if (code !== 409 && code !== 404) throw error instanceof KubeApiError ? error : new Error(`test controller PUT ${kind} ${name}: ${String(error)}`)
    }
  }

  /** An Event about the chaos object, with upstream's chaos-mesh.org/* annotations. */
  private record(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fields: Record<string, string>): Promise<void> {
    const annotations = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`chaos-mesh.org/${k}`, v]))
    return this.recordEvent(object, { type, reason, message, component: 'chaos-mesh-test-controller', annotations })
  }

  private requeueAt(kind: string, name: string, at: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (!this.stopped) this.enqueue({ apiVersion: '', kind, metadata: { name } })
    }, Math.max(0, at - Date.now()) + 5)
    this.timers.add(timer)
  }

  /** The selector's namespaces (default: the object's) and labelSelectors, then the mode. */
  private select(spec: Record<string, unknown>, own: string): FakePod[] {
    const selector = (spec.selector ?? {}) as { namespaces?: string[]; labelSelectors?: Record<string, string> }
    const namespaces = selector.namespaces?.length ? selector.namespaces : [own]
    const matching = this.options.pods.filter((p) => namespaces.includes(p.namespace) && Object.entries(selector.labelSelectors ?? {}).every(([k, v]) => p.labels[k] === v))
    const value = Number(spec.value)
    switch (spec.mode) {
      case 'one':
        return matching.slice(0, 1)
      case 'fixed':
        return matching.slice(0, value)
      case 'fixed-percent':
        return matching.slice(0, Math.ceil((matching.length * value) / 100))
      case 'random-max-percent':
        return matching.slice(0, Math.ceil((matching.length * Math.random() * value) / 100))
      default:
        return matching
    }
  }
}

/** The object with conditions in type order: a write that would only reorder them is no change. */
function canonical(object: KubeObject): string {
  const status = object.status as { conditions?: { type: string }[] } | undefined
  const conditions = status?.conditions ? [...status.conditions].sort((a, b) => a.type.localeCompare(b.type)) : undefined
  return JSON.stringify({ ...object, status: { ...status, conditions } })
}

/** The Go durations the driver writes ("30s") and simple manifests use ("1m", "500ms"). */
function goDurationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let total = 0
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * units[unit!]!
  return total
}
