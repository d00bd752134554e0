import { UsageError } from '../errors.js'
import { ROLLOUTS, type KubeClient, type WatchEvent } from '../kube/index.js'
import { rolloutState, type Rollout, type RolloutState } from './phase.js'

/** What `rollout wait --until` accepts, plus 'custom' for the stage's own conditions (the controller reacted). */
export type WaitTarget =
  | { kind: 'paused' }
  | { kind: 'healthy' }
  | { kind: 'degraded' }
  | { kind: 'step'; index: number }
  | { kind: 'custom'; description: string; test: (state: RolloutState, rollout: Rollout) => boolean }

export function parseWaitTarget(text: string | undefined): WaitTarget {
  const value = (text ?? 'paused').trim()
  if (value === 'paused' || value === 'healthy' || value === 'degraded') return { kind: value }
  const step = /^step=(\d+)$/.exec(value)
  if (step) return { kind: 'step', index: Number(step[1]) }
  throw new UsageError(`--until: expected paused, healthy, degraded or step=N, got "${value}"`)
}

export function describeTarget(target: WaitTarget): string {
  if (target.kind === 'step') return `step=${target.index}`
  return target.kind === 'custom' ? target.description : target.kind
}

/**
 * Whether the state is the target. "paused" means paused by the controller waiting for promotion (a canary
 * pause step, a blue-green pause or an inconclusive analysis), not a manual spec.paused.
 */
export function reached(target: WaitTarget, state: RolloutState, rollout: Rollout): boolean {
  switch (target.kind) {
    case 'custom':
      return target.test(state, rollout)
    case 'paused':
      return state.waitingForPromotion
    case 'healthy':
      return state.phase === 'Healthy'
    case 'degraded':
      return state.phase === 'Degraded'
    case 'step':
      return state.observed && state.stepIndex === target.index
  }
}

/**
 * States from which the target cannot come without a new deploy: an aborted or fully promoted rollout never
 * pauses at a step again. Degraded by ProgressDeadlineExceeded is not among them: it clears by itself. Only
 * a status written for the current spec counts.
 */
export function unreachable(target: WaitTarget, state: RolloutState): string | undefined {
  if (target.kind !== 'paused' && target.kind !== 'step') return undefined
  // Right after a deploy the status still describes the previous spec (often: completed).
  if (!state.observed) return undefined
  if (state.aborted) return `the rollout was aborted (${state.message || state.phase})`
  if (state.completed) return 'the rollout is fully promoted'
  return undefined
}

export type WaitOutcome =
  | { status: 'reached'; state: RolloutState; rollout: Rollout; waitedMs: number; events: number }
  | { status: 'unreachable'; reason: string; state: RolloutState; rollout: Rollout; waitedMs: number; events: number }
  | { status: 'timeout'; state?: RolloutState; rollout?: Rollout; waitedMs: number; events: number }
  | { status: 'deleted'; waitedMs: number; events: number }

export interface WaitOptions {
  timeoutMs: number
  /** Called with every state seen, in order (for progress output). */
  onState?: (state: RolloutState) => void
}

/**
 * Follows one rollout with the resumable list+watch (a field selector on its name) until the target state,
 * a state it cannot leave for the target, deletion, or the timeout. Watch errors that retrying cannot fix
 * (401, 403, 404) reject with the KubeApiError naming the missing permission.
 */
export function waitForRollout(client: KubeClient, namespace: string, name: string, target: WaitTarget,
  options: WaitOptions): Promise<WaitOutcome> {
  const started = Date.now()
  let events = 0
  let last: { rollout: Rollout; state: RolloutState } | undefined
  return new Promise<WaitOutcome>((resolve, reject) => {
    let settled = false
    const finish = (outcome: WaitOutcome | Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      watch.stop()
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
    }
    const onEvent = (event: WatchEvent<Rollout>) => {
      events++
      const waitedMs = Date.now() - started
      if (event.type === 'DELETED') return finish({ status: 'deleted', waitedMs, events })
      const state = rolloutState(event.object)
      last = { rollout: event.object, state }
      options.onState?.(state)
      if (reached(target, state, event.object)) return finish({ status: 'reached', state, rollout: event.object, waitedMs, events })
      const reason = unreachable(target, state)
      if (reason) finish({ status: 'unreachable', reason, state, rollout: event.object, waitedMs, events })
    }
    const watch = client.watch<Rollout>(ROLLOUTS, namespace, onEvent, { fieldSelector: `metadata.name=${name}` })
    const timer = setTimeout(() => finish({ status: 'timeout', ...(last ?? {}), waitedMs: Date.now() - started, events }), options.timeoutMs)
    watch.done.then(
      () => finish({ status: 'timeout', ...(last ?? {}), waitedMs: Date.now() - started, events }),
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error)))
    )
  })
}
