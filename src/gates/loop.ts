/**
 * The evaluation loop: every interval, measure each gate that is still undecided and count its
 * verdicts with Argo Rollouts' knobs (failureLimit, inconclusiveLimit, consecutiveErrorLimit,
 * consecutive successes), with the same "more than the limit" arithmetic. Unlike Argo, an error
 * takes its round of the schedule, a gate never ends Successful before the schedule does, and a
 * pass needs the schedule to end on enough passes in a row: errors and inconclusive measurements
 * never promote.
 */
import { parseDuration } from '../config/duration.js'
import type { Config } from '../config/schema.js'
import { UsageError } from '../errors.js'
import type { GateVerdict } from './kinds/common.js'
import type { Measurement } from './measure.js'

type GatesConfig = NonNullable<Config['gates']>

export interface LoopSettings {
  intervalMs: number
  /** Number of measurements per gate: `count`, or duration ÷ interval. */
  measurements: number
  initialDelayMs: number
  failureLimit: number
  inconclusiveLimit: number
  consecutiveErrorLimit: number
  consecutiveSuccesses: number
}

export function loopSettings(gates: GatesConfig): LoopSettings {
  const intervalMs = parseDuration(gates.interval)
  if (intervalMs <= 0) throw new UsageError(`gates.interval must be longer than 0s, got ${gates.interval}`)
  const measurements = gates.duration === undefined ? gates.count : Math.max(1, Math.floor(parseDuration(gates.duration) / intervalMs))
  return {
    intervalMs,
    measurements,
    initialDelayMs: parseDuration(gates.initialDelay),
    failureLimit: gates.failureLimit,
    inconclusiveLimit: gates.inconclusiveLimit,
    consecutiveErrorLimit: gates.consecutiveErrorLimit,
    consecutiveSuccesses: gates.consecutiveSuccesses
  }
}

/** Time as the loop sees it; tests inject a virtual one so a ten-minute run takes milliseconds. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Resolves after `ms`, or early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    })
}

/** A clock whose sleeps advance virtual time at once: for replays and tests over backfilled data. */
export function virtualClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) return
      now += Math.max(0, ms)
      // Yield, so an abort scheduled by the caller can land between measurements.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

export interface GateDecision {
  verdict: GateVerdict
  reason: string
  /** Unix seconds of the measurement that decided it. */
  at: number
}

export interface GateOutcome {
  gate: string
  critical: boolean
  verdict: GateVerdict
  reason: string
  /** When the verdict became final before the end of the schedule (a failure, too many inconclusive or errors). */
  decidedAt?: number
  /** When the first failed measurement was taken, even if it was tolerated. */
  firstFailureAt?: number
  counts: Record<Measurement['verdict'], number>
  /** Every pass was a noData pass: the gate never saw data. */
  noDataOnly: boolean
  measurements: Measurement[]
}

/**
 * Counts one gate's measurements. Pure: the live loop and the backtest feed it the same way.
 * A gate is decided early by too many failures, inconclusive measurements or consecutive
 * errors; otherwise it passes only if it ends on enough passing measurements in a row.
 */
export class GateTracker {
  readonly measurements: Measurement[] = []
  readonly counts: Record<Measurement['verdict'], number> = { pass: 0, fail: 0, inconclusive: 0, error: 0 }
  private passStreak = 0
  private errorStreak = 0
  private dataPasses = 0
  private firstFailureAt: number | undefined
  decision: GateDecision | undefined

  constructor(
    readonly gate: { name: string; critical: boolean },
    private readonly settings: Pick<LoopSettings, 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'consecutiveSuccesses'>
  ) {}

  get decided(): boolean {
    return this.decision !== undefined
  }

  /** Records a measurement; returns the decision if this one made the gate's verdict final. */
  record(m: Measurement): GateDecision | undefined {
    if (this.decision) throw new Error(`gate ${this.gate.name} is already decided; no more measurements`)
    this.measurements.push(m)
    this.counts[m.verdict]++
    const s = this.settings
    switch (m.verdict) {
      case 'pass':
        this.passStreak++
        this.errorStreak = 0
        if (!m.noData) this.dataPasses++
        return undefined
      case 'fail':
        this.passStreak = 0
        this.errorStreak = 0
        this.firstFailureAt ??= m.time
        if (this.counts.fail > s.failureLimit) return this.decide('fail', `failed (${this.counts.fail}) > failureLimit (${s.failureLimit}): ${m.reason}`, m.time)
        return undefined
      case 'inconclusive':
        this.passStreak = 0
        this.errorStreak = 0
        if (this.counts.inconclusive > s.inconclusiveLimit)
          return this.decide('inconclusive', `inconclusive (${this.counts.inconclusive}) > inconclusiveLimit (${s.inconclusiveLimit}): ${m.reason}`, m.time)
        return undefined
      case 'error':
        this.passStreak = 0
        this.errorStreak++
        if (this.errorStreak > s.consecutiveErrorLimit)
          return this.decide('inconclusive', `consecutive errors (${this.errorStreak}) > consecutiveErrorLimit (${s.consecutiveErrorLimit}): ${m.reason}`, m.time)
        return undefined
    }
  }

  /**
   * Ends the gate: a decided verdict stands; otherwise pass needs a final streak of passes. A gate
   * whose schedule was cut short (`cutShort` says why) is inconclusive: it was never fully judged.
   */
  finish(cutShort?: string): GateOutcome {
    const base = {
      gate: this.gate.name,
      critical: this.gate.critical,
      counts: { ...this.counts },
      noDataOnly: this.counts.pass > 0 && this.dataPasses === 0,
      measurements: this.measurements,
      ...(this.firstFailureAt === undefined ? {} : { firstFailureAt: this.firstFailureAt })
    }
    if (this.decision) return { ...base, verdict: this.decision.verdict, reason: this.decision.reason, decidedAt: this.decision.at }
    const last = this.measurements.at(-1)
    if (!last) return { ...base, verdict: 'inconclusive', reason: cutShort ? `${cutShort} before the first measurement` : 'no measurement was taken' }
    const tally = `${this.counts.pass} of ${this.measurements.length} measurement(s) passed`
    if (cutShort) return { ...base, verdict: 'inconclusive', reason: `${cutShort} after ${this.measurements.length} measurement(s); ${tally}` }
    const needed = this.settings.consecutiveSuccesses
    if (this.passStreak >= needed) return { ...base, verdict: 'pass', reason: `${tally}; last: ${last.reason}` }
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `ended with ${this.passStreak} passing measurement(s) in a row, ${needed} needed; last was ${last.verdict}: ${last.reason}`
    }
  }

  private decide(verdict: GateVerdict, reason: string, at: number): GateDecision {
    this.decision = { verdict, reason, at }
    return this.decision
  }
}

export interface LoopResult {
  verdict: GateVerdict
  reason: string
  /** Unix seconds. */
  startedAt: number
  endedAt: number
  gates: GateOutcome[]
  interrupted: boolean
  /** The gate whose decision ended the run early: any failure, or a critical gate's inconclusive. */
  endedBy?: string
}

export interface LoopGate {
  name: string
  critical: boolean
}

export interface LoopOptions {
  clock?: Clock
  signal?: AbortSignal
  /** Called after every round of measurements (for progress output). */
  onRound?: (time: number, measurements: Measurement[]) => void
}

/**
 * Runs the schedule: the first round after initialDelay, then one every interval. Each round
 * measures the undecided gates at the same time, in parallel. A gate that fails ends the run at
 * once, as a failed metric terminates an Argo AnalysisRun: the verdict can only be fail from then on,
 * and every further round delays the abort. An inconclusive gate stops being measured while the
 * others go on (one of them may still fail, which aborts rather than holds), unless it is critical.
 * The signal ends the run early as interrupted: undecided gates are then inconclusive, never passed.
 */
export async function runLoop<G extends LoopGate>(
  gates: readonly G[],
  settings: LoopSettings,
  measure: (gate: G, time: number, windowStart: number) => Promise<Measurement>,
  options: LoopOptions = {}
): Promise<LoopResult> {
  const clock = options.clock ?? systemClock
  const signal = options.signal
  const startMs = clock.now()
  const windowStart = startMs / 1000
  const trackers = gates.map((g) => ({ gate: g, tracker: new GateTracker(g, settings) }))
  let endedBy: string | undefined
  let endedHow = ''
  let lastRound = windowStart

  for (let round = 0; round < settings.measurements; round++) {
    const active = trackers.filter((t) => !t.tracker.decided)
    if (active.length === 0) break
    const due = startMs + settings.initialDelayMs + round * settings.intervalMs
    await clock.sleep(due - clock.now(), signal)
    if (signal?.aborted) break
    const time = due / 1000
    lastRound = time
    const measured = await Promise.all(active.map((t) => measure(t.gate, time, windowStart)))
    // A round cut short by the signal carries "aborted" errors, not data: drop it.
    if (signal?.aborted) break
    measured.forEach((m, i) => {
      const { gate, tracker } = active[i]!
      const decision = tracker.record(m)
      if (endedBy === undefined && (decision?.verdict === 'fail' || (decision?.verdict === 'inconclusive' && gate.critical))) {
        endedBy = gate.name
        endedHow = decision.verdict === 'fail' ? 'failed' : 'was inconclusive (critical)'
      }
    })
    options.onRound?.(time, measured)
    if (endedBy) break
  }

  const interrupted = signal?.aborted === true && endedBy === undefined
  const cutShort = interrupted ? 'interrupted' : endedBy ? `not finished: gate ${endedBy} ${endedHow} and ended the run` : undefined
  const outcomes = trackers.map((t) => t.tracker.finish(cutShort))
  const { verdict, reason } = overallVerdict(outcomes, endedBy, interrupted)
  return { verdict, reason, startedAt: windowStart, endedAt: Math.max(lastRound, clock.now() / 1000), gates: outcomes, interrupted, ...(endedBy ? { endedBy } : {}) }
}

const ORDER: Record<GateVerdict, number> = { pass: 0, inconclusive: 1, fail: 2 }

/** The worst gate decides; a pass that rests only on noData passes never promotes on its own. */
export function overallVerdict(outcomes: readonly GateOutcome[], endedBy?: string, interrupted = false): { verdict: GateVerdict; reason: string } {
  if (outcomes.length === 0) return { verdict: 'inconclusive', reason: 'no gates to evaluate' }
  const worst = outcomes.reduce((w, o) => (ORDER[o.verdict] > ORDER[w] ? o.verdict : w), 'pass' as GateVerdict)
  const named = (v: GateVerdict) => outcomes.filter((o) => o.verdict === v).map((o) => o.gate)
  if (worst === 'fail') {
    const failed = named('fail')
    return { verdict: 'fail', reason: `${failed.length} gate(s) failed: ${failed.join(', ')}${endedBy ? ` (gate ${endedBy} ended the run)` : ''}` }
  }
  if (worst === 'inconclusive') {
    const open = named('inconclusive')
    return { verdict: 'inconclusive', reason: `${interrupted ? 'interrupted; ' : ''}${open.length} gate(s) inconclusive: ${open.join(', ')}${endedBy ? ` (critical gate ${endedBy} ended the run)` : ''}` }
  }
  if (outcomes.every((o) => o.noDataOnly))
    return { verdict: 'inconclusive', reason: 'every gate passed only because it had no data (noData: pass), which never promotes on its own' }
  return { verdict: 'pass', reason: `all ${outcomes.length} gate(s) passed` }
}
