import { KubeApiError, ROLLOUTS, type KubeClient } from '../kube/index.js'
import type { Rollout } from './phase.js'

/**
 * The rollout commands of `kubectl argo rollouts`, sending the same RFC 7386 merge patches in the same order:
 * status fields on the /status subresource (falling back to the main resource when the API answers 404, as on
 * Rollouts ≤ v0.9), spec fields on the main resource. A 403 is never caught: it names the missing permission.
 */
export type RolloutActionName = 'promote' | 'promote-full' | 'abort' | 'retry' | 'pause'

export type MergePatch = Record<string, unknown>

export interface PatchRequest {
  /** 'status' → PATCH …/rollouts/NAME/status; 'main' → PATCH …/rollouts/NAME */
  subresource: 'status' | 'main'
  patch: MergePatch
}

/** The patches one action would send for one observed object; `fallback` replaces both on a 404 from /status. */
export interface PatchPlan {
  action: RolloutActionName
  status?: MergePatch
  spec?: MergePatch
  /** What the plugin sends to the main resource instead when /status answers 404. */
  unified?: MergePatch
  /** Why these patches (which branch of the plugin's logic). */
  reason: string
}

// The plugin's patch constants, as objects in the same key order (promote.go, abort.go, retry.go, pause.go).
export const UNPAUSE_PATCH: MergePatch = { spec: { paused: false } }
export const CLEAR_PAUSE_CONDITIONS_PATCH: MergePatch = { status: { pauseConditions: null } }
export const UNPAUSE_AND_CLEAR_PAUSE_CONDITIONS_PATCH: MergePatch = { spec: { paused: false }, status: { pauseConditions: null } }
export const PROMOTE_FULL_PATCH: MergePatch = { status: { promoteFull: true } }
export const UNPAUSE_AND_PROMOTE_FULL_PATCH: MergePatch = { spec: { paused: false }, status: { promoteFull: true } }
export const ABORT_STATUS_PATCH: MergePatch = { status: { abort: true } }
export const RETRY_STATUS_PATCH: MergePatch = { status: { abort: false } }
export const PAUSE_PATCH: MergePatch = { spec: { paused: true } }
const clearPauseConditionsWithStep = (index: number): MergePatch => ({ status: { pauseConditions: null, currentStepIndex: index } })
const unpauseAndClearPauseConditionsWithStep = (index: number): MergePatch => ({ spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: index } })
const clearPauseConditionsAndControllerPause = (index: number): MergePatch => ({ status: { pauseConditions: null, controllerPause: false, currentStepIndex: index } })

/**
 * The canary step index after the current one, capped at len(steps) (GetCurrentCanaryStep); undefined for a
 * blue-green rollout or a canary without steps.
 */
function nextStepIndex(rollout: Rollout): number | undefined {
  const steps = rollout.spec?.strategy?.canary?.steps
  if (!steps || steps.length === 0) return undefined
  const index = rollout.status?.currentStepIndex ?? 0
  return index < steps.length ? index + 1 : index
}

/** promote / promote --full: getPatches() of the plugin (v1.9+, with the #3016 inconclusive-step case). */
export function promotePatches(rollout: Rollout, full: boolean): PatchPlan {
  const spec = rollout.spec ?? {}
  const status = rollout.status ?? {}
  const specPatch = spec.paused ? UNPAUSE_PATCH : undefined
  if (full) {
    const fullyPromoted = (status.currentPodHash ?? '') === (status.stableRS ?? '')
    return {
      action: 'promote-full',
      ...(fullyPromoted ? {} : { status: PROMOTE_FULL_PATCH }),
      ...(specPatch ? { spec: specPatch } : {}),
      unified: UNPAUSE_AND_PROMOTE_FULL_PATCH,
      reason: fullyPromoted ? 'already fully promoted (currentPodHash == stableRS): no status patch' : 'request full promotion (status.promoteFull)'
    }
  }
  const paused = (status.pauseConditions?.length ?? 0) > 0
  const next = nextStepIndex(rollout)
  const inconclusiveStep = spec.strategy?.canary !== undefined && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive'
  if (inconclusiveStep && paused && status.controllerPause === true && next !== undefined)
    return {
      action: 'promote',
      status: clearPauseConditionsAndControllerPause(next),
      ...(specPatch ? { spec: specPatch } : {}),
      unified: UNPAUSE_AND_CLEAR_PAUSE_CONDITIONS_PATCH,
      reason: `inconclusive step analysis: clear pause conditions and controllerPause, skip to step ${next}`
    }
  if (paused)
    return {
      action: 'promote',
      status: CLEAR_PAUSE_CONDITIONS_PATCH,
      ...(specPatch ? { spec: specPatch } : {}),
      unified: UNPAUSE_AND_CLEAR_PAUSE_CONDITIONS_PATCH,
      reason: `clear pause conditions (${status.pauseConditions!.map((c) => c.reason).join(', ')}); the controller advances the step`
    }
  if (next !== undefined)
    return {
      action: 'promote',
      status: clearPauseConditionsWithStep(next),
      ...(specPatch ? { spec: specPatch } : {}),
      unified: unpauseAndClearPauseConditionsWithStep(next),
      reason: `no pause condition: skip the running step, to step ${next}`
    }
  return {
    action: 'promote',
    ...(specPatch ? { spec: specPatch } : {}),
    unified: UNPAUSE_AND_CLEAR_PAUSE_CONDITIONS_PATCH,
    reason: specPatch ? 'unpause spec.paused' : 'nothing to promote: no pause condition and no canary step'
  }
}

/** abort, retry and pause do not read the object first: their patches never depend on it. */
export function fixedPatches(action: 'abort' | 'retry' | 'pause'): PatchPlan {
  switch (action) {
    case 'abort':
      return { action, status: ABORT_STATUS_PATCH, unified: ABORT_STATUS_PATCH, reason: 'request abort (status.abort)' }
    case 'retry':
      return { action, status: RETRY_STATUS_PATCH, unified: RETRY_STATUS_PATCH, reason: 'clear the abort (status.abort=false)' }
    case 'pause':
      return { action, spec: PAUSE_PATCH, reason: 'pause (spec.paused)' }
  }
}

/** The requests the plan sends when /status exists, in order. */
export function requestsOf(plan: PatchPlan): PatchRequest[] {
  const requests: PatchRequest[] = []
  if (plan.status) requests.push({ subresource: 'status', patch: plan.status })
  if (plan.spec) requests.push({ subresource: 'main', patch: plan.spec })
  return requests
}

/** "PATCH rollouts.argoproj.io/NAME/status in namespace NS (application/merge-patch+json): {…}" */
export function describeRequest(request: PatchRequest, namespace: string, name: string): string {
  const target = `rollouts.argoproj.io/${name}${request.subresource === 'status' ? '/status' : ''}`
  return `PATCH ${target} in namespace ${namespace} (application/merge-patch+json): ${JSON.stringify(request.patch)}`
}

export interface SentPatch extends PatchRequest {
  /** The 404 fallback: status fields sent to the main resource (Rollouts ≤ v0.9). */
  fallback?: boolean
}

export interface ActionResult {
  plan: PatchPlan
  /** What was sent, in order; empty on a dry run. */
  sent: SentPatch[]
  /** The object as the server returned it after the last patch (or as read, when nothing was sent). */
  after?: Rollout
  /** The object the patches were computed from (promote only; the other actions do not read first). */
  before?: Rollout
  /** Patches refused with 409 Conflict and recomputed on a fresh read. */
  conflicts: number
  dryRun: boolean
}

export interface ActionOptions {
  dryRun?: boolean
  /** Attempts for a promote whose object changed between the read and the patch (409). Default 5. */
  maxAttempts?: number
}

/**
 * Runs one action. Promote reads the object, computes the plugin's patches from it and sends them with
 * that resourceVersion as a precondition: a controller write in between is answered 409 Conflict, and the
 * patches are recomputed on a fresh read (the plugin would send a patch computed from a stale object).
 */
export async function runRolloutAction(client: KubeClient, namespace: string, name: string, action: RolloutActionName,
  options: ActionOptions = {}): Promise<ActionResult> {
  if (action === 'abort' || action === 'retry' || action === 'pause') {
    const plan = fixedPatches(action)
    if (options.dryRun) return { plan, sent: [], conflicts: 0, dryRun: true }
    const { sent, after } = await send(client, namespace, name, plan)
    return { plan, sent, after, conflicts: 0, dryRun: false }
  }
  const maxAttempts = options.maxAttempts ?? 5
  let conflicts = 0
  for (;;) {
    const before = await client.get<Rollout>(ROLLOUTS, namespace, name)
    const plan = promotePatches(before, action === 'promote-full')
    if (options.dryRun) return { plan, sent: [], before, after: before, conflicts, dryRun: true }
    try {
      const { sent, after } = await send(client, namespace, name, plan, before.metadata.resourceVersion)
      return { plan, sent, before, after: after ?? before, conflicts, dryRun: false }
    } catch (error) {
      if (!(error instanceof ConflictAfterRead) || conflicts + 1 >= maxAttempts) throw unwrapConflict(error, maxAttempts)
      conflicts++
    }
  }
}

/** A 409 on the first request of a plan: nothing was applied yet, so the whole plan can be recomputed. */
class ConflictAfterRead extends Error {
  constructor(readonly conflict: KubeApiError) {
    super(conflict.message)
  }
}

function unwrapConflict(error: unknown, attempts: number): unknown {
  if (!(error instanceof ConflictAfterRead)) return error
  const cause = error.conflict
  return new KubeApiError(cause.operation, cause.code, cause.reason,
    `${cause.serverMessage} (still changing after ${attempts} fresh reads)`, { cause })
}

async function send(client: KubeClient, namespace: string, name: string, plan: PatchPlan,
  resourceVersion?: string): Promise<{ sent: SentPatch[]; after?: Rollout }> {
  const sent: SentPatch[] = []
  let after: Rollout | undefined
  let version = resourceVersion
  let specPatch = plan.spec
  const precondition = () => (version === undefined ? {} : { resourceVersion: version })
  if (plan.status) {
    try {
      after = await client.mergePatchStatus<Rollout>(ROLLOUTS, namespace, name, plan.status, precondition())
      sent.push({ subresource: 'status', patch: plan.status })
      // The status part is applied; the spec part (unpause) does not depend on the object, and the controller
      // may already be reacting, so it goes without a precondition, as the plugin sends it.
      version = undefined
    } catch (error) {
      if (error instanceof KubeApiError && error.isConflict) throw new ConflictAfterRead(error)
      if (!(error instanceof KubeApiError && error.isNotFound)) throw error
      // No status subresource (Rollouts ≤ v0.9), or the rollout is gone; the main-resource patch tells which.
      specPatch = plan.unified
    }
  }
  if (specPatch) {
    try {
      after = await client.mergePatch<Rollout>(ROLLOUTS, namespace, name, specPatch, precondition())
    } catch (error) {
      if (error instanceof KubeApiError && error.isConflict) throw new ConflictAfterRead(error)
      throw error
    }
    sent.push({ subresource: 'main', patch: specPatch, ...(specPatch === plan.unified && plan.status ? { fallback: true } : {}) })
  }
  return { sent, ...(after ? { after } : {}) }
}
