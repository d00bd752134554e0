/** Types and helpers both drivers share (kept apart from index.ts so the drivers never import it back). */
import { randomBytes } from 'node:crypto'
import type { InvolvedObject } from '../../kube/events.js'
import type { KubeClient, KubeObject, ResourceType } from '../../kube/index.js'
import { KubeApiError } from '../../kube/index.js'
import type { ChaosManifest } from '../target.js'

export type DriverName = 'chaos-mesh' | 'litmus'

export interface DriverCapabilities {
  /** Can pause injection without deleting (Chaos Mesh pause annotation); false: stop means abort. */
  pause: boolean
  /** Reports how many targets were injected, so "nothing selected" is told apart from "done". */
  injectionCount: boolean
  /** The controller reports recovery (false for one-shot faults such as pod-kill). */
  recoveryObservable: boolean
  /** Has a documented last-resort way to release a deletion stuck on a finalizer. */
  forceClean: boolean
}

/** What the run created, enough to observe, stop and delete it. */
export interface ChaosHandle {
  driver: DriverName
  type: ResourceType
  kind: string
  namespace: string
  name: string
  uid: string
  /** Litmus: experiment names (the ChaosResult of each is `<engine>-<experiment>`). */
  experiments: string[]
  /** The Go duration written into the object (the dead-man's switch). */
  duration: string
  createdAt: number
}

export interface CreateOptions {
  labels: Record<string, string>
  /** Upper bound written into the object: the controller stops the fault by itself after this long. */
  durationMs: number
}

/** The experiment as its controller reports it. `outcome` is set once the experiment has decided. */
export interface Observation {
  /** Short phase name for the timeline: Selected, AllInjected, AllRecovered, Running, Completed, ... */
  phase: string
  detail: string
  /** Targets were selected (and, where the driver can tell, injected at least once). */
  selected: boolean
  injected: boolean
  outcome?: ExperimentOutcome
}

/**
 * pass: injected and recovered (or completed with a passing verdict). fail: the hypothesis did not
 * hold or nothing was injected. error: the experiment itself broke. stopped: ended by a stop request.
 */
export type ExperimentOutcome = 'pass' | 'fail' | 'error' | 'stopped'

export interface Observer {
  /** Rejects when the watch cannot go on (403, 404 of the type). */
  readonly done: Promise<void>
  stop(): void
}

export interface CleanupResult {
  name: string
  namespace: string
  kind: string
  /** gone: deleted and its finalizers released; forced: released only by the force-clean last resort; stuck: still there. */
  state: 'gone' | 'forced' | 'stuck'
  ms: number
  detail?: string
}

export interface ChaosDriver {
  readonly name: DriverName
  readonly capabilities: DriverCapabilities
  /** Every resource type this driver may create, for cleanup by label. */
  readonly resourceTypes: readonly ResourceType[]
  create(client: KubeClient, manifest: ChaosManifest, options: CreateOptions): Promise<ChaosHandle>
  observe(client: KubeClient, handle: ChaosHandle, onObservation: (o: Observation) => void): Observer
  /** Ends the fault at once: pause (Chaos Mesh) or engineState=stop (Litmus). Idempotent; a vanished object is not an error. */
  stop(client: KubeClient, handle: ChaosHandle): Promise<void>
  /** Deletes the object and waits until it is gone; after `timeoutMs` uses the force-clean path if the driver has one. */
  cleanup(client: KubeClient, object: Pick<ChaosHandle, 'type' | 'kind' | 'namespace' | 'name'>, timeoutMs: number): Promise<CleanupResult>
  /** Objects besides the chaos object whose events explain a failure (Litmus: the run's ChaosResults). */
  explainedBy?(client: KubeClient, handle: ChaosHandle): Promise<InvolvedObject[]>
}

export const RUN_ID_LABEL = 'release-gate/run-id'
export const EXPERIMENT_LABEL = 'release-gate/experiment'

/** A name unique to this run (Litmus reuses a ChaosResult named after the engine), within the 63 characters pods allow. */
export function uniqueName(base: string): string {
  return `${base.slice(0, 40).replace(/-+$/, '')}-${randomBytes(3).toString('hex')}`
}

/** Copies the manifest for creation: server-owned fields and any status dropped, run labels added. */
export function newObject(manifest: ChaosManifest, name: string, labels: Record<string, string>): KubeObject {
  const copy = structuredClone(manifest) as KubeObject & { status?: unknown }
  delete copy.status
  const meta = (copy.metadata ?? {}) as KubeObject['metadata']
  for (const field of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'finalizers', 'managedFields', 'generateName'])
    delete meta[field]
  copy.metadata = { ...meta, name, labels: { ...(meta.labels ?? {}), ...labels } }
  return copy
}

/** Go time.ParseDuration syntax, whole seconds rounded up (never shorter than asked). */
export function goDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.isNotFound
}

/** Awaits a call on an object that may already be gone: a 404 is the outcome wanted, not an error. */
export async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  await call.catch((error: unknown) => {
    if (!isNotFound(error)) throw error
  })
}

/**
 * Deletes and polls until the object is gone; if it is still there after `timeoutMs`, runs `force` once
 * (when given) and waits the same again. Polling, not a watch: it also works with only get+delete.
 */
export async function deleteAndWait(client: KubeClient, object: Pick<ChaosHandle, 'type' | 'kind' | 'namespace' | 'name'>, timeoutMs: number,
  force?: () => Promise<void>): Promise<CleanupResult> {
  const started = Date.now()
  const base = { name: object.name, namespace: object.namespace, kind: object.kind }
  await ignoreNotFound(client.delete(object.type, object.namespace, object.name))
  const gone = async (deadline: number): Promise<boolean> => {
    for (;;) {
      try {
        await client.get(object.type, object.namespace, object.name)
      } catch (error) {
        if (isNotFound(error)) return true
        throw error
      }
      if (Date.now() >= deadline) return false
      await sleep(50)
    }
  }
  if (await gone(started + timeoutMs)) return { ...base, state: 'gone', ms: Date.now() - started }
  if (!force) return { ...base, state: 'stuck', ms: Date.now() - started, detail: `still present ${timeoutMs} ms after delete (a finalizer was not released)` }
  await force()
  const released = await gone(Date.now() + timeoutMs)
  return released
    ? { ...base, state: 'forced', ms: Date.now() - started, detail: 'released only by the force-clean path; the fault may not have been recovered' }
    : { ...base, state: 'stuck', ms: Date.now() - started, detail: 'still present after the force-clean path' }
}
