/**
 * One experiment from creation to deletion: create the object, watch it, measure the guard every
 * guardInterval, and decide. Whatever decides — the experiment's own outcome, nothing selected in
 * time, a guard breach, the deadline, an interrupt, a lost watch — the object is stopped if still
 * running and then deleted, and the run waits until it is gone.
 */
import type { Measurement } from '../gates/measure.js'
import type { KubeClient } from '../kube/index.js'
import type { Verdict } from '../report/findings.js'
import type { ChaosManifest } from './target.js'
import type { ChaosDriver, ChaosHandle, CleanupResult, CreateOptions, Observation } from './drivers/index.js'
import { warningEventsOf, type ExperimentEvents } from './events.js'
import { describeMeasurement, type Guard } from './guard.js'

export interface RunSettings {
  /** Nothing selected (or nothing injected) by then is a failure: a no-op experiment proves nothing. Counted from creation. */
  selectTimeoutMs: number
  /** After the experiment's duration, how long to wait for its controller to report recovery. */
  graceMs: number
  /** How long to wait for the object to disappear after delete before the force-clean path. */
  cleanupTimeoutMs: number
  /** Aborts the run (SIGINT/SIGTERM): the experiment is stopped and deleted, the verdict is inconclusive. */
  signal?: AbortSignal
}

export interface TimelineEntry {
  /** Milliseconds since the run started. */
  atMs: number
  phase: string
  detail: string
}

export interface BreachTiming {
  measurement: Measurement
  /** From the failing measurement's answer to the stop request acknowledged by the API server. */
  stopMs: number
  /** From the failing measurement's answer to the object gone (its finalizer released). */
  goneMs: number
}

/** Wall-clock times (epoch ms) of an experiment that was created. */
export interface RunTimes {
  /** The run began (timeline offsets count from here). */
  started: number
  /** Injection was first observed: selected and injected into at least one target. */
  injected?: number
  /** The object was gone (or deletion was given up as stuck). */
  gone: number
}

export interface RunOutcome {
  verdict: Exclude<Verdict, 'skipped'>
  reason: string
  handle?: ChaosHandle
  timeline: TimelineEntry[]
  guard: Measurement[]
  breach?: BreachTiming
  cleanup?: CleanupResult
  times?: RunTimes
  /** The Warning events about the object, read when the experiment did not pass. */
  events?: ExperimentEvents
}

type Decision = { verdict: RunOutcome['verdict']; reason: string; selfEnded: boolean; breach?: Measurement }

/** Runs one experiment to a verdict and never returns while its object still exists (unless deletion is stuck, reported). */
export async function runExperiment(client: KubeClient, driver: ChaosDriver, manifest: ChaosManifest, create: CreateOptions,
  guard: Guard | undefined, settings: RunSettings): Promise<RunOutcome> {
  const started = Date.now()
  const timeline: TimelineEntry[] = []
  const note = (phase: string, detail: string) => timeline.push({ atMs: Date.now() - started, phase, detail })
  const measurements: Measurement[] = []
  if (settings.signal?.aborted) return { verdict: 'inconclusive', reason: 'interrupted before the experiment was created', timeline, guard: measurements }

  const handle = await driver.create(client, manifest, create)
  note('Created', `${handle.kind} ${handle.namespace}/${handle.name} (uid ${handle.uid}), duration ${handle.duration}`)

  let decide!: (d: Decision) => void
  let decided: Decision | undefined
  const decision = new Promise<Decision>((resolve) => {
    decide = (d) => {
      if (decided) return
      decided = d
      resolve(d)
    }
  })
  let selected = false
  let injectedAt: number | undefined
  let lastPhase = ''
  let lastDetail = 'no status yet'
  const onObservation = (o: Observation) => {
    if (o.phase !== lastPhase) note(o.phase, o.detail)
    lastPhase = o.phase
    lastDetail = o.detail
    if (o.selected && o.injected && !selected) {
      selected = true
      injectedAt = Date.now()
    }
    if (o.phase === 'Deleted') return decide({ verdict: 'inconclusive', reason: 'the experiment object was deleted by someone else before a verdict', selfEnded: true })
    switch (o.outcome) {
      case 'pass':
        return decide({ verdict: 'pass', reason: o.detail, selfEnded: true })
      case 'fail':
        return decide({ verdict: 'fail', reason: o.detail, selfEnded: true })
      case 'error':
        return decide({ verdict: 'inconclusive', reason: `the experiment failed to run: ${o.detail}`, selfEnded: true })
      case 'stopped':
        return decide({ verdict: 'inconclusive', reason: o.detail, selfEnded: true })
    }
  }
  const observer = driver.observe(client, handle, onObservation)
  observer.done.catch((error: unknown) => decide({ verdict: 'inconclusive', reason: `lost the watch on the experiment: ${(error as Error).message}`, selfEnded: false }))

  const durationMs = parseSeconds(handle.duration)
  const timers = [
    setTimeout(() => {
      if (!selected) decide({ verdict: 'fail', reason: `nothing was selected and injected within ${settings.selectTimeoutMs} ms (${lastPhase || 'no status'}: ${lastDetail}); an experiment that touches nothing proves nothing`, selfEnded: false })
    }, settings.selectTimeoutMs),
    setTimeout(() => decide({ verdict: 'inconclusive', reason: `no verdict within duration ${handle.duration} + ${settings.graceMs} ms (last: ${lastPhase}: ${lastDetail})`, selfEnded: false }),
      durationMs + settings.graceMs),
  ]
  const onAbort = () => decide({ verdict: 'inconclusive', reason: 'interrupted (SIGINT/SIGTERM): the experiment was stopped and deleted', selfEnded: false })
  settings.signal?.addEventListener('abort', onAbort, { once: true })

  const guardAbort = new AbortController()
  const guardLoop = guard ? runGuard(guard, measurements, decision, () => decided !== undefined, (breach) => {
    note('GuardBreach', describeMeasurement(breach))
    decide({ verdict: 'fail', reason: `SLO guard breached — ${describeMeasurement(breach)}`, selfEnded: false, breach })
  }, guardAbort.signal) : Promise.resolve()

  const final = await decision
  // A query still in flight (a slow or retrying Prometheus) must not hold up the stop.
  guardAbort.abort()
  const decidedAt = Date.now()
  for (const timer of timers) clearTimeout(timer)
  settings.signal?.removeEventListener('abort', onAbort)

  let stopMs: number | undefined
  if (!final.selfEnded) {
    try {
      await driver.stop(client, handle)
      stopMs = Date.now() - decidedAt
      note('StopRequested', driver.capabilities.pause ? 'paused (pause annotation)' : 'engineState set to stop')
    } catch (error) {
      // Deletion still follows: a refused stop (403 on patch) must not leave the fault behind.
      note('StopFailed', (error as Error).message)
    }
  }
  observer.stop()
  const cleanup = await driver.cleanup(client, handle, settings.cleanupTimeoutMs).catch((error: unknown): CleanupResult => ({
    name: handle.name, namespace: handle.namespace, kind: handle.kind, state: 'stuck', ms: Date.now() - decidedAt, detail: (error as Error).message,
  }))
  const goneAt = Date.now()
  const goneMs = goneAt - decidedAt
  note(cleanup.state === 'gone' ? 'Deleted' : cleanup.state === 'forced' ? 'ForceCleaned' : 'DeleteStuck', `${cleanup.detail ?? 'finalizers released'} after ${cleanup.ms} ms`)
  await guardLoop

  let { verdict, reason } = final
  if (cleanup.state === 'stuck' && verdict === 'pass') {
    verdict = 'inconclusive'
    reason = `${reason}; but the object could not be deleted: ${cleanup.detail}`
  }
  // A guard that never measured anything cannot vouch for the SLO during the experiment.
  if (verdict === 'pass' && guard && !measurements.some((m) => m.verdict === 'pass')) {
    verdict = 'inconclusive'
    reason = `${reason}; but the guard (${guard.gates.join(', ')}) never produced a passing measurement`
  }
  // Read after cleanup, so explaining a failure never delays ending the fault; an interrupt explains itself.
  const events = verdict === 'pass' || settings.signal?.aborted ? undefined : await warningEventsOf(client, handle, async () => (await driver.explainedBy?.(client, handle)) ?? [])
  return {
    verdict, reason, handle, timeline, guard: measurements, cleanup,
    times: { started, ...(injectedAt !== undefined ? { injected: injectedAt } : {}), gone: goneAt },
    ...(final.breach ? { breach: { measurement: final.breach, stopMs: stopMs ?? 0, goneMs } } : {}),
    ...(events ? { events } : {}),
  }
}

async function runGuard(guard: Guard, into: Measurement[], decision: Promise<unknown>, isDecided: () => boolean,
  onBreach: (m: Measurement) => void, signal?: AbortSignal): Promise<void> {
  while (!isDecided()) {
    const tickStart = Date.now()
    const { measurements, breach } = await guard.check(signal)
    if (isDecided()) return
    into.push(...measurements)
    if (breach) return onBreach(breach)
    // Wake at once when the run is decided, so the guard never delays cleanup.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([decision, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, guard.intervalMs - (Date.now() - tickStart)))))])
    clearTimeout(timer)
  }
}

function parseSeconds(goDuration: string): number {
  return Number(/^(\d+)s$/.exec(goDuration)?.[1] ?? 0) * 1000
}
