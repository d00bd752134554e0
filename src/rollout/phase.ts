import type { KubeObject } from '../kube/index.js'

/**
 * The four phases Argo Rollouts knows (there is no "Error" phase). Computed the way
 * `kubectl argo rollouts status` does it (rolloututil.GetRolloutPhase), so release-gate and the
 * plugin never disagree about a rollout.
 */
export type RolloutPhase = 'Healthy' | 'Degraded' | 'Progressing' | 'Paused'

export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment'

export interface PauseCondition {
  reason: string
  startTime?: string
}

export interface RolloutCondition {
  type: string
  status: string
  reason?: string
  message?: string
  lastTransitionTime?: string
  lastUpdateTime?: string
}

export interface CanaryStep {
  setWeight?: number
  pause?: { duration?: string | number }
  analysis?: unknown
  experiment?: unknown
  [field: string]: unknown
}

/** The parts of a Rollout spec the phase and the promote patches depend on. */
export interface RolloutSpec {
  replicas?: number
  paused?: boolean
  restartAt?: string
  workloadRef?: unknown
  strategy?: {
    canary?: { steps?: CanaryStep[]; trafficRouting?: unknown; [field: string]: unknown }
    blueGreen?: { autoPromotionEnabled?: boolean; postPromotionAnalysis?: unknown; [field: string]: unknown }
  }
  [field: string]: unknown
}

export interface AnalysisRunStatusRef {
  name?: string
  status?: string
  message?: string
}

export interface RolloutStatus {
  phase?: string
  message?: string
  observedGeneration?: string
  controllerPause?: boolean
  pauseConditions?: PauseCondition[]
  currentStepIndex?: number
  abort?: boolean
  abortedAt?: string
  promoteFull?: boolean
  stableRS?: string
  currentPodHash?: string
  replicas?: number
  updatedReplicas?: number
  availableReplicas?: number
  restartedAt?: string
  workloadObservedGeneration?: string
  conditions?: RolloutCondition[]
  canary?: { currentStepAnalysisRunStatus?: AnalysisRunStatusRef; currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef; [field: string]: unknown }
  blueGreen?: { activeSelector?: string; previewSelector?: string; postPromotionAnalysisRunStatus?: AnalysisRunStatusRef; [field: string]: unknown }
  [field: string]: unknown
}

export interface Rollout extends KubeObject {
  spec?: RolloutSpec
  status?: RolloutStatus
}

export interface PhaseAndMessage {
  phase: RolloutPhase
  message: string
}

/** Annotation the controller sets to the referenced workload's generation (workloadRef rollouts). */
const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation'

export interface PhaseOptions {
  /**
   * The Go field `spec.TemplateResolvedFromRef` is `json:"-"`: it is never sent by the API server, so the
   * plugin always sees false and skips the workload-generation check. Only set it to reproduce the controller.
   */
  templateResolvedFromRef?: boolean
}

/** Phase and message as `kubectl argo rollouts status/get` report them (GetRolloutPhase). */
export function getRolloutPhase(rollout: Rollout, options: PhaseOptions = {}): PhaseAndMessage {
  const status = rollout.status ?? {}
  if (!isGenerationObserved(rollout)) return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' }
  if (isUnpausing(rollout)) return { phase: 'Progressing', message: 'waiting for rollout to unpause' }
  if (options.templateResolvedFromRef && !isWorkloadGenerationObserved(rollout))
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed for the reference workload' }
  // v1.0+ controllers compute the phase themselves; older ones leave it to the client.
  if (status.phase) return { phase: status.phase as RolloutPhase, message: status.message ?? '' }
  return calculateRolloutPhase(rollout.spec ?? {}, status)
}

/**
 * Only a numeric observedGeneration (v0.10+) can be compared; v0.9 stored a hash there, and a number larger
 * than the generation is such a hash that happens to be all digits.
 */
export function isGenerationObserved(rollout: Rollout): boolean {
  const text = rollout.status?.observedGeneration
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return true
  const observed = Number(text)
  const generation = rollout.metadata.generation ?? 0
  return observed >= generation
}

/** A client cleared the pause conditions and the controller has not reacted yet. */
export function isUnpausing(rollout: Rollout): boolean {
  return rollout.status?.controllerPause === true && (rollout.status.pauseConditions?.length ?? 0) === 0
}

function isWorkloadGenerationObserved(rollout: Rollout): boolean {
  const annotated = rollout.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION]
  if (annotated === undefined) return true
  const observed = rollout.status?.workloadObservedGeneration
  if (observed === undefined || !/^[+-]?\d+$/.test(observed)) return true
  return Number(observed) === Number(annotated)
}

export function isFullyPromoted(status: RolloutStatus): boolean {
  return (status.stableRS ?? '') === (status.currentPodHash ?? '')
}

/** The controller's own phase calculation, used for statuses written before v1.0 (no status.phase). */
export function calculateRolloutPhase(spec: RolloutSpec, status: RolloutStatus): PhaseAndMessage {
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${condition.message ?? ''}` }
    if (condition.reason === 'RolloutAborted' || condition.reason === 'ProgressDeadlineExceeded')
      return { phase: 'Degraded', message: `${condition.reason}: ${condition.message ?? ''}` }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' }
  const firstPause = status.pauseConditions?.[0]
  if (firstPause) return { phase: 'Paused', message: firstPause.reason }
  if (spec.restartAt !== undefined && (status.restartedAt === undefined || Date.parse(spec.restartAt) !== Date.parse(status.restartedAt)))
    return { phase: 'Progressing', message: 'rollout is restarting' }
  if ((status.updatedReplicas ?? 0) < (spec.replicas ?? 1)) return { phase: 'Progressing', message: 'more replicas need to be updated' }
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0))
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' }
  const blueGreen = spec.strategy?.blueGreen
  const canary = spec.strategy?.canary
  if (blueGreen) {
    const active = status.blueGreen?.activeSelector ?? ''
    if (active === '' || active !== (status.currentPodHash ?? '')) return { phase: 'Progressing', message: 'active service cutover pending' }
    if (!status.stableRS || !isFullyPromoted(status)) {
      const postAnalysisPending = blueGreen.postPromotionAnalysis !== undefined &&
        !isCompletedAnalysisPhase(status.blueGreen?.postPromotionAnalysisRunStatus?.status)
      return { phase: 'Progressing', message: postAnalysisPending ? 'waiting for analysis to complete' : 'waiting for post-promotion verification to complete' }
    }
  } else if (canary) {
    // Blue-green and traffic-routed canaries keep old replicas on purpose (scaleDownDelay).
    if (canary.trafficRouting === undefined && (status.replicas ?? 0) > (status.updatedReplicas ?? 0))
      return { phase: 'Progressing', message: 'old replicas are pending termination' }
    if (!status.stableRS || !isFullyPromoted(status)) return { phase: 'Progressing', message: 'waiting for all steps to complete' }
  }
  return { phase: 'Healthy', message: '' }
}

const COMPLETED_ANALYSIS_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive'])

function isCompletedAnalysisPhase(phase: string | undefined): boolean {
  return phase !== undefined && COMPLETED_ANALYSIS_PHASES.has(phase)
}

/** Pause reasons that wait for a person (or release-gate): promote or abort. */
const PROMOTION_PAUSE_REASONS: ReadonlySet<string> = new Set<PauseReason>(['CanaryPauseStep', 'BlueGreenPause', 'InconclusiveAnalysisRun', 'InconclusiveExperiment'])

/** What a gate needs to know about a rollout, derived from spec and status only. */
export interface RolloutState extends PhaseAndMessage {
  name: string
  namespace: string
  generation: number
  /** The status was written for the current spec (observedGeneration); until then it describes an older spec. */
  observed: boolean
  strategy: 'canary' | 'blueGreen' | 'unknown'
  /** Paused by the controller at a canary pause step, a blue-green pre-promotion pause or an inconclusive analysis. */
  waitingForPromotion: boolean
  pauseReasons: string[]
  /** A canary pause step without a duration: it never resumes by itself. */
  indefinitePause: boolean
  /** The abort was requested (status.abort) and reconciled (abortedAt) or reported (RolloutAborted). */
  aborted: boolean
  abortRequested: boolean
  /** stableRS == currentPodHash and, for a canary with steps, the step index at the end. */
  completed: boolean
  manuallyPaused: boolean
  stepIndex?: number
  stepCount?: number
  stableRS?: string
  currentPodHash?: string
  resourceVersion?: string
}

export function rolloutState(rollout: Rollout): RolloutState {
  const spec = rollout.spec ?? {}
  const status = rollout.status ?? {}
  const { phase, message } = getRolloutPhase(rollout)
  const steps = spec.strategy?.canary?.steps
  const stepCount = spec.strategy?.canary ? (steps?.length ?? 0) : undefined
  const stepIndex = spec.strategy?.canary ? (status.currentStepIndex ?? 0) : undefined
  const pauseReasons = (status.pauseConditions ?? []).map((c) => c.reason)
  const abortedCondition = (status.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'RolloutAborted')
  const abortRequested = status.abort === true
  const currentStep = stepIndex !== undefined ? steps?.[stepIndex] : undefined
  const stepsDone = stepCount === undefined || stepCount === 0 || (stepIndex ?? 0) >= stepCount
  return {
    name: rollout.metadata.name,
    namespace: rollout.metadata.namespace ?? '',
    generation: rollout.metadata.generation ?? 0,
    observed: isGenerationObserved(rollout),
    phase,
    message,
    strategy: spec.strategy?.canary ? 'canary' : spec.strategy?.blueGreen ? 'blueGreen' : 'unknown',
    waitingForPromotion: phase === 'Paused' && !spec.paused && pauseReasons.some((r) => PROMOTION_PAUSE_REASONS.has(r)),
    pauseReasons,
    indefinitePause: pauseReasons.includes('CanaryPauseStep') && currentStep?.pause !== undefined && currentStep.pause.duration === undefined,
    aborted: abortRequested && (status.abortedAt !== undefined || abortedCondition),
    abortRequested,
    completed: Boolean(status.currentPodHash) && isFullyPromoted(status) && stepsDone && !abortRequested,
    manuallyPaused: spec.paused === true,
    ...(stepIndex !== undefined ? { stepIndex, stepCount } : {}),
    ...(status.stableRS ? { stableRS: status.stableRS } : {}),
    ...(status.currentPodHash ? { currentPodHash: status.currentPodHash } : {}),
    ...(rollout.metadata.resourceVersion ? { resourceVersion: rollout.metadata.resourceVersion } : {})
  }
}

/** "Paused (CanaryPauseStep), step 1/8" */
export function describeState(state: RolloutState): string {
  const parts = [state.message ? `${state.phase} (${state.message})` : state.phase]
  if (state.stepIndex !== undefined && state.stepCount) parts.push(`step ${state.stepIndex}/${state.stepCount}`)
  if (state.aborted) parts.push('aborted')
  else if (state.abortRequested) parts.push('abort requested')
  if (state.completed) parts.push('fully promoted')
  return parts.join(', ')
}
