/**
 * Plays the Argo Rollouts controller for canary rollouts on a real API server: it watches Rollouts in one
 * namespace and writes their status through the /status subresource the way the upstream controller reacts
 * (facts from rollout/canary.go, pause.go, sync.go as summarised in the shared notes):
 * - a new pod template starts at step 0 with the abort and pause state reset;
 * - setWeight/analysis/experiment steps complete at once (there are no pods here); a pause step adds the
 *   CanaryPauseStep pause condition with controllerPause=true;
 * - a pause step is complete when controllerPause is true and its pause condition is gone (what promote
 *   does): the step index advances and controllerPause is cleared;
 * - promoteFull clears pauses and the abort, jumps to len(steps), marks the new pods stable, then resets;
 * - abort sets abortedAt once, sends the step index to 0 and adds Progressing=False/RolloutAborted;
 *   retry (abort=false after an abort) clears abortedAt and resumes the steps;
 * - status.phase/message come from the same calculation the controller uses (v1.0+ behaviour).
 * It also records every watch event it saw: the server's view of each write, ours and the client's.
 */
import { createHash } from 'node:crypto'
import { ROLLOUTS, type KubeClient, type ResumableWatch, type WatchEvent } from '../../src/kube/index.js'
import { calculateRolloutPhase, type Rollout, type RolloutCondition, type RolloutStatus } from '../../src/rollout/phase.js'

export interface ObservedEvent {
  type: WatchEvent['type']
  resourceVersion: string
  status: RolloutStatus
  specPaused: boolean
}

export interface ControllerWrite {
  name: string
  patch: Record<string, unknown>
}

const FIXED_TIME = '2026-01-01T00:00:00Z'

export class ArgoRolloutsTestController {
  /** Every event the watch delivered, in order, per rollout name. */
  readonly events = new Map<string, ObservedEvent[]>()
  /** Every status patch this controller sent. */
  readonly writes: ControllerWrite[] = []
  private readonly watch: ResumableWatch
  private queue: Promise<void> = Promise.resolve()
  private failure: unknown

  private constructor(private readonly client: KubeClient, private readonly namespace: string, private readonly now: () => string) {
    this.watch = client.watch<Rollout>(ROLLOUTS, namespace, (event) => this.onEvent(event))
  }

  static start(client: KubeClient, namespace: string, options: { now?: () => string } = {}): ArgoRolloutsTestController {
    return new ArgoRolloutsTestController(client, namespace, options.now ?? (() => new Date().toISOString().replace(/\.\d+Z$/, 'Z')))
  }

  async stop(): Promise<void> {
    this.watch.stop()
    await this.queue
    if (this.failure) throw this.failure
  }

  eventsOf(name: string): ObservedEvent[] {
    return this.events.get(name) ?? []
  }

  private onEvent(event: WatchEvent<Rollout>): void {
    const name = event.object.metadata.name
    const list = this.events.get(name) ?? []
    list.push({
      type: event.type,
      resourceVersion: event.object.metadata.resourceVersion ?? '',
      status: structuredClone(event.object.status ?? {}),
      specPaused: event.object.spec?.paused === true
    })
    this.events.set(name, list)
    if (event.type === 'DELETED') return
    // One reconcile at a time, in event order, like a single controller worker.
    this.queue = this.queue.then(() => this.reconcile(event.object)).catch((error: unknown) => {
      // 409/404: a newer event for the object follows and is reconciled then.
      const code = (error as { code?: number }).code
      if (code !== 409 && code !== 404) this.failure ??= error
    })
  }

  private async reconcile(rollout: Rollout): Promise<void> {
    const desired = reconcileStatus(rollout, this.now)
    const patch = statusPatch(rollout.status ?? {}, desired)
    if (Object.keys(patch).length === 0) return
    this.writes.push({ name: rollout.metadata.name, patch })
    // The resourceVersion precondition makes a write computed from a stale event fail instead of undoing a client's patch.
    await this.client.mergePatchStatus(ROLLOUTS, this.namespace, rollout.metadata.name, { status: patch },
      { resourceVersion: rollout.metadata.resourceVersion! })
  }
}

/** The pod-template hash the controller labels ReplicaSets with (here: any stable digest of the template). */
export function podTemplateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10)
}

/** The status the controller would write for this rollout. */
export function reconcileStatus(rollout: Rollout, now: () => string): RolloutStatus {
  const spec = rollout.spec ?? {}
  const steps = spec.strategy?.canary?.steps ?? []
  const replicas = spec.replicas ?? 1
  const hash = podTemplateHash(spec.template)
  const status: RolloutStatus = structuredClone(rollout.status ?? {})
  const revision = Number(rollout.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '1')

  if (!status.stableRS) {
    // First deploy: nothing to compare against, the pods become stable at once.
    Object.assign(status, { stableRS: hash, currentPodHash: hash, currentStepIndex: steps.length })
  } else if (status.currentPodHash !== hash) {
    // resetRolloutStatus: a new template clears the abort and the pauses and starts the steps again.
    status.currentPodHash = hash
    status.currentStepIndex = 0
    delete status.abort
    delete status.abortedAt
    delete status.pauseConditions
    delete status.controllerPause
    delete status.promoteFull
  }

  let index = status.currentStepIndex ?? 0
  if (status.promoteFull) {
    // canary.go: full promotion clears the pauses and removes the abort.
    delete status.abort
    delete status.abortedAt
    delete status.pauseConditions
    delete status.controllerPause
    index = steps.length
  } else if (status.abort) {
    status.abortedAt ??= now()
    delete status.pauseConditions
    delete status.controllerPause
    index = status.stableRS === status.currentPodHash ? steps.length : 0
  } else {
    delete status.abortedAt // a retry (abort=false) resumes the steps
    if (!spec.paused) {
      while (index < steps.length) {
        const step = steps[index]!
        if (step.pause === undefined) {
          index++
          continue
        }
        const pausedHere = (status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep')
        if (pausedHere) break
        if (status.controllerPause) {
          // The pause condition was cleared while the controller had paused: the step is complete.
          delete status.controllerPause
          index++
          continue
        }
        status.pauseConditions = [{ reason: 'CanaryPauseStep', startTime: now() }]
        status.controllerPause = true
        break
      }
    }
  }
  status.currentStepIndex = index
  if (!status.abort && index >= steps.length) status.stableRS = status.currentPodHash
  // sync.go: promoteFull is reset once the new pods are stable.
  if (status.promoteFull && status.stableRS === status.currentPodHash) delete status.promoteFull
  Object.assign(status, { replicas, updatedReplicas: replicas, availableReplicas: replicas, readyReplicas: replicas })
  status.observedGeneration = String(rollout.metadata.generation ?? 0)
  status.conditions = conditionsFor(rollout, status, revision)
  const { phase, message } = calculateRolloutPhase(spec, status)
  status.phase = phase
  status.message = message
  return status
}

function conditionsFor(rollout: Rollout, status: RolloutStatus, revision: number): RolloutCondition[] {
  const previous = status.conditions ?? []
  const completed = status.stableRS === status.currentPodHash
  const paused = (status.pauseConditions?.length ?? 0) > 0 || rollout.spec?.paused === true
  const progressing: RolloutCondition = status.abort
    ? { type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: `Rollout aborted update to revision ${revision}` }
    : paused
      ? { type: 'Progressing', status: 'Unknown', reason: 'RolloutPaused', message: 'Rollout is paused' }
      : completed
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'Rollout has successfully progressed.' }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'Rollout is progressing.' }
  const wanted: RolloutCondition[] = [
    { type: 'Available', status: 'True', reason: 'AvailableReason', message: 'Rollout has minimum availability' },
    progressing,
    { type: 'Completed', status: completed ? 'True' : 'False', reason: 'RolloutCompleted', message: 'RolloutCompleted' }
  ]
  // A condition keeps its timestamps while it does not change, so a reconcile without news writes nothing.
  return wanted.map((condition) => {
    const same = previous.find((p) => p.type === condition.type && p.status === condition.status && p.reason === condition.reason && p.message === condition.message)
    const times = same ? { lastTransitionTime: same.lastTransitionTime, lastUpdateTime: same.lastUpdateTime } : { lastTransitionTime: FIXED_TIME, lastUpdateTime: FIXED_TIME }
    return { ...condition, ...times }
  })
}

/** A merge patch from old to new status: changed keys set, vanished keys null. */
function statusPatch(old: RolloutStatus, desired: RolloutStatus): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(old), ...Object.keys(desired)])) {
    const before = old[key]
    const after = desired[key]
    if (after === undefined) {
      if (before !== undefined) patch[key] = null
    } else if (JSON.stringify(before) !== JSON.stringify(after)) patch[key] = after
  }
  return patch
}

/** A canary Rollout of `steps` (default: setWeight 20, pause {}, setWeight 50, pause {}) with pod template `image`. */
export function canaryRollout(name: string, namespace: string, options: { image?: string; steps?: unknown[]; app?: string } = {}): Rollout {
  const app = options.app ?? name
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app } },
      strategy: { canary: { steps: (options.steps ?? [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }]) as never } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'app', image: options.image ?? 'registry.example/app:1' }] }
      }
    }
  }
}

/** Ships a new image: the controller resets the steps and pauses at the first pause step. */
export async function deployImage(client: KubeClient, namespace: string, name: string, image: string): Promise<void> {
  await client.mergePatch(ROLLOUTS, namespace, name, {
    spec: { template: { spec: { containers: [{ name: 'app', image }] } } }
  })
}
