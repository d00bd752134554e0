/**
 * LitmusChaos: a ChaosEngine per run, named uniquely because Litmus reuses the ChaosResult
 * `<engine>-<experiment>` across runs; a result counts only if its chaosUID label is this engine's uid.
 * engineStatus `completed` only means the runner finished: the verdict is read from the ChaosResult.
 */
import type { KubeClient, KubeObject } from '../../kube/index.js'
import type { InvolvedObject } from '../../kube/events.js'
import { CHAOS_ENGINES, CHAOS_RESULTS } from '../../kube/index.js'
import type { ChaosManifest } from '../target.js'
import {
  deleteAndWait, ignoreNotFound, newObject, uniqueName,
  type ChaosDriver, type ChaosHandle, type ExperimentOutcome, type Observation,
} from './common.js'

export const ENGINE_FINALIZER = 'chaosengine.litmuschaos.io/finalizer'

interface EnvVar { name: string; value?: unknown }
interface EngineExperiment { name?: string; spec?: { components?: { env?: EnvVar[] } } }
interface EngineStatus { engineStatus?: string; experiments?: { name?: string; status?: string; verdict?: string }[] }
interface ProbeStatus { name?: string; type?: string; mode?: string; status?: { verdict?: string; description?: string } }
interface ResultStatus {
  experimentStatus?: { phase?: string; verdict?: string; probeSuccessPercentage?: string; errorOutput?: { errorCode?: string; reason?: string } }
  probeStatuses?: ProbeStatus[]
}

/** Errors that mean the experiment found nothing to inject into: a failed experiment, not an infrastructure error. */
const NOTHING_SELECTED_CODES = new Set(['TARGET_SELECTION_ERROR'])

function failedProbes(status: ResultStatus): string[] {
  return (status.probeStatuses ?? [])
    .filter((p) => p.status?.verdict === 'Failed')
    .map((p) => `${p.name ?? '?'} (${p.type ?? '?'}, ${p.mode ?? '?'})${p.status?.description ? `: ${p.status.description}` : ''}`)
}

/** One ChaosResult's verdict (notes §2.5). `stopRequested`: this tool asked the engine to stop. */
export function judgeResult(result: KubeObject, stopRequested: boolean): { outcome?: ExperimentOutcome; detail: string } {
  const status = (result.status ?? {}) as ResultStatus
  const phase = status.experimentStatus?.phase ?? '(none)'
  const verdict = status.experimentStatus?.verdict ?? '(none)'
  const probes = failedProbes(status)
  const head = `${result.metadata.name}: phase ${phase}, verdict ${verdict}`
  const error = status.experimentStatus?.errorOutput
  const errorText = error?.errorCode ? ` (${error.errorCode}${error.reason ? `: ${error.reason}` : ''})` : ''
  if (verdict === 'Fail' || phase === 'Completed_With_Probe_Failure' || phase === 'Completed_With_Error')
    return { outcome: 'fail', detail: `${head}${probes.length ? `; failed probes: ${probes.join('; ')}` : ''}${errorText}` }
  if (verdict === 'Stopped' || phase === 'Stopped') {
    // A probe with stopOnFailure stops the experiment itself: that is the hypothesis failing, not our abort.
    if (probes.length > 0) return { outcome: 'fail', detail: `${head}; stopped by failed probe(s): ${probes.join('; ')}` }
    return { outcome: 'stopped', detail: `${head}; ${stopRequested ? 'stopped at our request' : 'stopped by someone else (engineState set to stop outside this run)'}` }
  }
  if (verdict === 'Error' || phase === 'Error') {
    if (error?.errorCode && NOTHING_SELECTED_CODES.has(error.errorCode)) return { outcome: 'fail', detail: `${head}: nothing was selected${errorText}` }
    return { outcome: 'error', detail: `${head}${errorText}` }
  }
  if (phase === 'Completed' && verdict === 'Pass') return { outcome: 'pass', detail: `${head}, probes ${status.experimentStatus?.probeSuccessPercentage ?? '?'}% passed` }
  return { detail: head }
}

/** The engine and its results (only those labelled with its uid) as one observation. */
export function observeLitmus(engine: KubeObject | undefined, results: ReadonlyMap<string, KubeObject>, experiments: readonly string[], stopRequested: boolean): Observation {
  if (!engine) return { phase: 'Deleted', detail: 'the ChaosEngine is gone', selected: false, injected: false }
  const status = (engine.status ?? {}) as EngineStatus
  const engineStatus = status.engineStatus ?? '(none)'
  const uid = engine.metadata.uid
  const missing = (status.experiments ?? []).find((e) => e.status === 'ChaosExperiment Not Found' || e.status === 'Skipped')
  if (missing) return { phase: missing.status!, detail: `experiment ${missing.name}: ${missing.status} (is the ChaosExperiment installed in ${engine.metadata.namespace}?)`, selected: false, injected: false, outcome: 'error' }

  const judged = experiments.map((exp): { exp: string; result?: KubeObject; outcome?: ExperimentOutcome; detail: string } => {
    const result = results.get(`${engine.metadata.name}-${exp}`)
    return result && result.metadata.labels?.chaosUID === uid ? { exp, result, ...judgeResult(result, stopRequested) } : { exp, result: undefined, detail: `${exp}: no ChaosResult of this engine yet` }
  })
  const detail = `engineStatus ${engineStatus}; ${judged.map((j) => j.detail).join('; ')}`
  const started = judged.every((j) => j.result !== undefined)
  const order: ExperimentOutcome[] = ['fail', 'error', 'stopped']
  for (const outcome of order) if (judged.some((j) => j.outcome === outcome)) return { phase: phaseOf(judged, outcome), detail, selected: started, injected: started, outcome }
  if (judged.length > 0 && judged.every((j) => j.outcome === 'pass')) return { phase: 'Completed', detail, selected: true, injected: true, outcome: 'pass' }
  if (engineStatus === 'completed' || engineStatus === 'stopped')
    return { phase: `engine ${engineStatus}`, detail: `${detail}; the engine finished but a result is still undecided`, selected: started, injected: started, outcome: stopRequested && engineStatus === 'stopped' ? 'stopped' : 'error' }
  return { phase: started ? 'Running' : `engine ${engineStatus}`, detail, selected: started, injected: started }
}

function phaseOf(judged: { outcome?: ExperimentOutcome; result?: KubeObject }[], outcome: ExperimentOutcome): string {
  const status = judged.find((j) => j.outcome === outcome)?.result?.status as ResultStatus | undefined
  return status?.experimentStatus?.phase ?? outcome
}

/** Engines this process asked to stop, so a Stopped verdict is told apart from someone else's abort. */
const stopRequested = new Set<string>()

export const litmusDriver: ChaosDriver = {
  name: 'litmus',
  // Stop is an abort (there is no pause); recovery is the experiment's own business and shows as its verdict.
  capabilities: { pause: false, injectionCount: false, recoveryObservable: false, forceClean: true },
  resourceTypes: [CHAOS_ENGINES],

  // The experiment records its Fail / Error / Stopped events on the ChaosResult, not on the engine.
  async explainedBy(client: KubeClient, handle: ChaosHandle): Promise<InvolvedObject[]> {
    const results = await client.list(CHAOS_RESULTS, handle.namespace, { labelSelector: `chaosUID=${handle.uid}` })
    return results.items.map((r) => ({ namespace: handle.namespace, name: r.metadata.name, ...(r.metadata.uid ? { uid: r.metadata.uid } : {}), kind: 'ChaosResult' }))
  },

  async create(client: KubeClient, manifest: ChaosManifest, options): Promise<ChaosHandle> {
    const namespace = typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : 'default'
    const object = newObject(manifest, uniqueName(String(manifest.metadata?.name ?? 'engine')), options.labels)
    object.metadata.namespace = namespace
    const seconds = Math.max(1, Math.floor(options.durationMs / 1000))
    const spec: Record<string, unknown> = { ...(object.spec as Record<string, unknown>), engineState: 'active' }
    const experiments = (Array.isArray(spec.experiments) ? spec.experiments : []) as EngineExperiment[]
    // Litmus has no deadline of its own: cap each experiment's TOTAL_CHAOS_DURATION; the run loop stops the engine after it.
    spec.experiments = experiments.map((e) => {
      const env = e.spec?.components?.env ?? []
      const current = Number(env.find((v) => v.name === 'TOTAL_CHAOS_DURATION')?.value)
      const capped = String(Number.isFinite(current) && current > 0 ? Math.min(current, seconds) : seconds)
      const nextEnv = [...env.filter((v) => v.name !== 'TOTAL_CHAOS_DURATION'), { name: 'TOTAL_CHAOS_DURATION', value: capped }]
      return { ...e, spec: { ...e.spec, components: { ...e.spec?.components, env: nextEnv } } }
    })
    object.spec = spec
    const created = await client.create(CHAOS_ENGINES, namespace, object)
    return {
      driver: 'litmus', type: CHAOS_ENGINES, kind: 'ChaosEngine', namespace, name: created.metadata.name, uid: created.metadata.uid ?? '',
      experiments: experiments.map((e) => String(e.name)), duration: `${seconds}s`, createdAt: Date.now(),
    }
  },

  observe(client, handle, onObservation) {
    let engine: KubeObject | undefined
    const results = new Map<string, KubeObject>()
    const emit = () => onObservation(observeLitmus(engine, results, handle.experiments, stopRequested.has(handle.uid)))
    const engineWatch = client.watch(CHAOS_ENGINES, handle.namespace, (event) => {
      if (event.object.metadata.uid !== handle.uid) return
      engine = event.type === 'DELETED' ? undefined : event.object
      emit()
    }, { fieldSelector: `metadata.name=${handle.name}` })
    // Only results written for this engine: a stale result of the same name from an earlier run carries another chaosUID.
    const resultWatch = client.watch(CHAOS_RESULTS, handle.namespace, (event) => {
      if (event.type === 'DELETED') results.delete(event.object.metadata.name)
      else results.set(event.object.metadata.name, event.object)
      if (engine) emit()
    }, { labelSelector: `chaosUID=${handle.uid}` })
    return {
      done: Promise.all([engineWatch.done, resultWatch.done]).then(() => undefined),
      stop: () => {
        engineWatch.stop()
        resultWatch.stop()
      },
    }
  },

  stop(client, handle) {
    stopRequested.add(handle.uid)
    return ignoreNotFound(client.mergePatch(CHAOS_ENGINES, handle.namespace, handle.name, { spec: { engineState: 'stop' } }))
  },

  cleanup(client, object, timeoutMs) {
    // Last resort when the operator is gone: drop its finalizer (its experiment pods may then outlive the engine).
    return deleteAndWait(client, object, timeoutMs, () =>
      ignoreNotFound(client.mergePatch(object.type, object.namespace, object.name, { metadata: { finalizers: null } })))
  },
}
