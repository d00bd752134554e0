/**
 * Plays the Litmus chaos-operator, chaos-runner and experiment pod for ChaosEngines in one namespace on a
 * real API server (notes §2.2–2.3, reference examples), writing whole objects with PUT like the operator's
 * Update (no status subresource):
 * - a new active engine: finalizer `chaosengine.litmuschaos.io/finalizer`, engineStatus initialized, the
 *   runner's experiments[] entry (Running/Awaited), and ChaosResult `<engine>-<experiment>` labelled
 *   chaosUID=<engine uid> with phase Running, verdict Awaited;
 * - after TOTAL_CHAOS_DURATION the outcome the engine's `test.release-gate/outcome` annotation names:
 *   pass (Completed/Pass), probe-failure (Completed_With_Probe_Failure/Fail), stop-on-failure (the probe sets
 *   engineState=stop; result Stopped/Stopped with the probe Failed), no-target (Error/Error,
 *   TARGET_SELECTION_ERROR), hang (stays Running); on completion engineStatus completed, engineState stop;
 * - engineState=stop while initialized, or deletion: the abort path — result Stopped/Stopped, experiments
 *   Forcefully Aborted/Stopped, engineStatus stopped; deletion then removes the finalizer.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import { CHAOS_ENGINES, CHAOS_RESULTS, type KubeClient, type KubeObject, type ResumableWatch } from '../../src/kube/index.js'
import { ENGINE_FINALIZER } from '../../src/chaos/drivers/litmus.js'
import { eventRecorder } from './events.js'

export const OUTCOME_ANNOTATION = 'test.release-gate/outcome'
type Outcome = 'pass' | 'probe-failure' | 'stop-on-failure' | 'no-target' | 'hang'

interface EngineSpec { engineState?: string; experiments?: { name: string; spec?: { components?: { env?: { name: string; value?: string }[] } } }[] }
interface EngineStatus { engineStatus?: string; experiments?: { name: string; runner: string; experimentPod: string; status: string; verdict: string; lastUpdateTime: string }[] }

const PROBE = { name: 'error-rate-slo', type: 'promProbe', mode: 'Continuous' }

export class LitmusTestController {
  private readonly watch: ResumableWatch
  private readonly api: CustomObjectsApi
  private readonly recordEvent: ReturnType<typeof eventRecorder>
  private readonly queues = new Map<string, Promise<void>>()
  /** Engines (by uid) whose experiment has ended, by itself or by an abort. */
  private readonly ended = new Set<string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private stopped = false
  private failure: unknown

  constructor(client: KubeClient, kubeConfig: KubeConfig, private readonly namespace: string) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi)
    this.recordEvent = eventRecorder(kubeConfig, namespace)
    this.watch = client.watch(CHAOS_ENGINES, namespace, (event) => {
      if (event.type !== 'DELETED') this.enqueue(event.object.metadata.name)
    })
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.watch.stop()
    for (const t of this.timers) clearTimeout(t)
    await Promise.all(this.queues.values())
    if (this.failure) throw this.failure
  }

  private enqueue(name: string): void {
    const previous = this.queues.get(name) ?? Promise.resolve()
    this.queues.set(name, previous.then(() => this.reconcile(name)).catch((error: unknown) => {
      if (!this.stopped) this.failure ??= error
    }))
  }

  private async get(type: typeof CHAOS_ENGINES, name: string): Promise<KubeObject | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({ ...type, namespace: this.namespace, name })) as KubeObject
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined
      throw error
    }
  }

  private async put(type: typeof CHAOS_ENGINES, object: KubeObject): Promise<void> {
    try {
      await this.api.replaceNamespacedCustomObject({ ...type, namespace: this.namespace, name: object.metadata.name, body: object })
    } catch (error) {
      const code = (error as { code?: number }).code
      if (code !== 409 && code !== 404) throw error
    }
  }

  private async reconcile(name: string): Promise<void> {
    if (this.stopped) return
    const engine = await this.get(CHAOS_ENGINES, name)
    if (!engine) return
    const meta = engine.metadata as KubeObject['metadata'] & { finalizers?: string[]; deletionTimestamp?: string }
    const spec = engine.spec as EngineSpec
    const status = (engine.status ??= {}) as EngineStatus
    const uid = meta.uid!
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const experiments = spec.experiments ?? []

    if (meta.deletionTimestamp || (spec.engineState === 'stop' && status.engineStatus === 'initialized' && !this.ended.has(uid))) {
      // reconcileForDelete: experiment pods get SIGTERM, the AbortWatcher writes Stopped.
      if (status.engineStatus === 'initialized') {
        for (const e of experiments) await this.writeResult(engine, e.name, { phase: 'Stopped', verdict: 'Stopped', probeSuccessPercentage: '0' }, 'N/A')
        status.experiments = (status.experiments ?? []).map((e) => ['Running', 'Waiting for Job Creation'].includes(e.status) ? { ...e, status: 'Forcefully Aborted', verdict: 'Stopped', lastUpdateTime: stamp } : e)
        status.engineStatus = 'stopped'
        this.ended.add(uid)
      }
      if (meta.deletionTimestamp) meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== ENGINE_FINALIZER)
      return this.put(CHAOS_ENGINES, engine)
    }

    if ((spec.engineState ?? 'active') === 'active' && !status.engineStatus) {
      meta.finalizers = [...(meta.finalizers ?? []), ENGINE_FINALIZER]
      status.engineStatus = 'initialized'
      status.experiments = experiments.map((e) => ({ name: e.name, runner: `${name}-runner`, experimentPod: `${e.name}-${uid.slice(0, 6)}`, status: 'Running', verdict: 'Awaited', lastUpdateTime: stamp }))
      await this.put(CHAOS_ENGINES, engine)
      for (const e of experiments) await this.writeResult(engine, e.name, { phase: 'Running', verdict: 'Awaited', probeSuccessPercentage: 'Awaited' }, 'Awaited')
      const seconds = Math.max(...experiments.map((e) => Number(e.spec?.components?.env?.find((v) => v.name === 'TOTAL_CHAOS_DURATION')?.value ?? 30)))
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (!this.stopped) void this.endChaos(name, uid)
      }, seconds * 1000)
      this.timers.add(timer)
    }
  }

  /** What the experiment pod writes when its chaos duration is over, then what the operator does with it. */
  private async endChaos(name: string, uid: string): Promise<void> {
    const run = async () => {
      const engine = await this.get(CHAOS_ENGINES, name)
      if (!engine || engine.metadata.uid !== uid || this.ended.has(uid)) return
      const outcome = (engine.metadata.annotations?.[OUTCOME_ANNOTATION] ?? 'pass') as Outcome
      if (outcome === 'hang') return
      this.ended.add(uid)
      const spec = engine.spec as EngineSpec
      const status = engine.status as EngineStatus
      const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
      const results = {
        pass: [{ phase: 'Completed', verdict: 'Pass', probeSuccessPercentage: '100' }, 'Passed'],
        'probe-failure': [{ phase: 'Completed_With_Probe_Failure', verdict: 'Fail', probeSuccessPercentage: '0' }, 'Failed'],
        'stop-on-failure': [{ phase: 'Stopped', verdict: 'Stopped', probeSuccessPercentage: '0' }, 'Failed'],
        'no-target': [{ phase: 'Error', verdict: 'Error', probeSuccessPercentage: '0', errorOutput: { errorCode: 'TARGET_SELECTION_ERROR', reason: 'no target pods found' } }, 'N/A'],
      } as const
      const [experimentStatus, probeVerdict] = results[outcome]
      for (const e of spec.experiments ?? []) await this.writeResult(engine, e.name, experimentStatus, probeVerdict)
      if (outcome === 'stop-on-failure') {
        status.experiments = (status.experiments ?? []).map((e) => ({ ...e, status: 'Forcefully Aborted', verdict: 'Stopped', lastUpdateTime: stamp }))
        status.engineStatus = 'stopped'
      } else {
        status.experiments = (status.experiments ?? []).map((e) => ({ ...e, status: 'Completed', verdict: experimentStatus.verdict, lastUpdateTime: stamp }))
        status.engineStatus = 'completed'
      }
      // The operator flips engineState to stop itself when the runner completes (and the probe does on stopOnFailure).
      spec.engineState = 'stop'
      await this.put(CHAOS_ENGINES, engine)
    }
    const previous = this.queues.get(name) ?? Promise.resolve()
    this.queues.set(name, previous.then(run).catch((error: unknown) => {
      if (!this.stopped) this.failure ??= error
    }))
  }

  private async writeResult(engine: KubeObject, experiment: string, experimentStatus: Record<string, unknown>, probeVerdict: string): Promise<void> {
    const name = `${engine.metadata.name}-${experiment}`
    const status = {
      experimentStatus,
      probeStatuses: [{ ...PROBE, status: { verdict: probeVerdict, ...(probeVerdict === 'Failed' ? { description: 'Actual value: 0.42 is not <= 0.05' } : {}) } }],
      history: { passedRuns: experimentStatus.verdict === 'Pass' ? 1 : 0, failedRuns: experimentStatus.verdict === 'Fail' ? 1 : 0, stoppedRuns: experimentStatus.verdict === 'Stopped' ? 1 : 0, targets: [{ name: 'checkout', kind: 'deployment', chaosStatus: 'targeted' }] },
    }
    const existing = await this.get(CHAOS_RESULTS, name)
    const labels = { 'app.kubernetes.io/component': 'experiment-job', chaosUID: engine.metadata.uid! }
    let result: KubeObject
    if (!existing) {
      result = (await this.api.createNamespacedCustomObject({ ...CHAOS_RESULTS, namespace: this.namespace, body: {
        apiVersion: 'litmuschaos.io/v1alpha1', kind: 'ChaosResult', metadata: { name, labels }, spec: { engine: engine.metadata.name, experiment }, status,
      } })) as KubeObject
    } else {
      // Litmus reuses a result of the same name: it patches labels and status, history accumulates.
      existing.metadata.labels = { ...existing.metadata.labels, ...labels }
      existing.status = status
      await this.put(CHAOS_RESULTS, existing)
      result = existing
    }
    await this.recordVerdict(result, experiment, experimentStatus, status.probeStatuses[0]!.status)
  }

  /**
   * The experiment's event on its ChaosResult (notes §2.3: Pass is Normal; Fail, Stopped and Error are
   * Warning, with the verdict as the reason). The notes give no message text; these say what failed.
   */
  private async recordVerdict(result: KubeObject, experiment: string, experimentStatus: Record<string, unknown>, probe: { verdict: string; description?: string }): Promise<void> {
    const verdict = String(experimentStatus.verdict)
    const errorOutput = experimentStatus.errorOutput as { errorCode: string; reason: string } | undefined
    const message = errorOutput ? `${experiment} experiment failed: ${errorOutput.errorCode}: ${errorOutput.reason}`
      : probe.verdict === 'Failed' ? `${PROBE.name} probe failed: ${probe.description ?? ''}` : `${experiment} experiment has been ${verdict}`
    await this.recordEvent(result, { type: ['Fail', 'Stopped', 'Error'].includes(verdict) ? 'Warning' : 'Normal', reason: verdict, message, component: `${experiment}-experiment` })
  }
}
