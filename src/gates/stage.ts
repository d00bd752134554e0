/**
 * The gates stage: `release-gate gate` (and the pipeline's gates step) measures the configured
 * gates on schedule and turns the loop's result into a StageResult; with --from/--to it
 * backtests them over a past window instead.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isNode, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Command } from '../commands.js'
import { displayPath } from '../config/load.js'
import type { Config, GateConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import { isPrometheusError } from '../prometheus/errors.js'
import type { Finding, RuleInfo, StageResult } from '../report/findings.js'
import { backtestGates, type BacktestResult } from './backtest.js'
import { summaryMarkdown } from './chart.js'
import { gateKind } from './kinds/index.js'
import { loopSettings, runLoop, type Clock, type GateOutcome, type LoopResult, type LoopSettings } from './loop.js'
import { lookbackSeconds, measureGate, prepareGate, readsAlertmanager, resolveQueries, templateVariables, type DataSources, type Measurement, type PreparedGate } from './measure.js'
import { closeDataSources, openDataSources } from './sources.js'

type GatesConfig = NonNullable<Config['gates']>

export interface GateRunDeps {
  clock?: Clock
  /** Ends the run early (inconclusive); SIGINT and SIGTERM do the same when no signal is given. */
  signal?: AbortSignal
  env?: NodeJS.ProcessEnv
}

/** `release-gate gate [--from T1 [--to T2]]`. */
export async function runGateCommand(command: Extract<Command, { name: 'gate' }>, ctx: StageContext, deps: GateRunDeps = {}): Promise<StageOutput> {
  if (command.from === undefined && command.to === undefined) return runGates(ctx, deps)
  if (command.from === undefined) throw new UsageError('--to needs --from: the backtest window starts at --from')
  const clock = deps.clock ?? { now: () => Date.now() }
  const from = parseTime(command.from, '--from')
  const to = command.to === undefined ? clock.now() / 1000 : parseTime(command.to, '--to')
  if (!(to > from)) throw new UsageError(`--to (${iso(to)}) must be after --from (${iso(from)})`)
  return runBacktest(ctx, { from, to }, deps)
}

/** RFC 3339 (2024-01-01T00:00:00Z) or unix seconds. */
export function parseTime(text: string, option: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text)
    if (!Number.isNaN(ms)) return ms / 1000
  }
  throw new UsageError(`${option}: expected RFC 3339 (2024-01-01T12:00:00Z) or unix seconds, got "${text}"`)
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')

interface Prepared {
  gates: GatesConfig
  settings: LoopSettings
  prepared: PreparedGate[]
  /** Per gate, its queries as the second round runs them ({{ elapsed }} grows with each measurement). */
  queries: Array<Record<string, string>>
  variables: Record<string, string>
  configFile: string
  sources: DataSources
  close(): Promise<void>
}

/** Validates what can be validated before the first query, and builds the clients. */
async function prepare(ctx: StageContext, deps: GateRunDeps, needs: { alertmanager: boolean }): Promise<Prepared | undefined> {
  const gates = ctx.config?.gates
  if (!gates || gates.checks.length === 0) return undefined
  const settings = loopSettings(gates)
  const configFile = displayPath(path.resolve(ctx.options.cwd, ctx.options.configPath), ctx.options.cwd)
  const variables = { ...gates.variables, runId: ctx.options.runId }
  const prepared = gates.checks.map((g, i) => prepareGate(g, i))
  // A template that cannot be filled safely is a config error: exit 2 now, not ten errors later. The
  // queries as filled one interval into the run are also the ones the report shows.
  const intervalSeconds = settings.intervalMs / 1000
  const lookback = lookbackSeconds(intervalSeconds, { windowStart: 0, intervalSeconds })
  const queries = prepared.map((gate) => resolveQueries(gate, templateVariables({ variables, intervalSeconds }, lookback), configFile))

  // A backtest reads everything from Prometheus: Alertmanager keeps no history.
  const usesAlertmanager = needs.alertmanager && gates.checks.some(readsAlertmanager)
  const usesPrometheus = !needs.alertmanager || gates.checks.some((g) => !readsAlertmanager(g))
  const config = ctx.config!
  if (usesPrometheus && !config.prometheus)
    throw new UsageError(`${configFile}: ${needs.alertmanager ? 'gates query Prometheus' : 'a backtest reads Prometheus'}, but there is no prometheus: section with its url`)
  if (usesAlertmanager && !config.alertmanager) throw new UsageError(`${configFile}: an alerts gate reads Alertmanager, but there is no alertmanager: section with its url`)

  let sources: DataSources = {}
  try {
    sources = openDataSources(
      { prometheus: usesPrometheus ? config.prometheus : undefined, alertmanager: usesAlertmanager ? config.alertmanager : undefined },
      { baseDir: ctx.baseDir, env: deps.env ?? ctx.options.env }
    )
    // Read every secret now: masked before any request, and a missing one is a setup error, not ten query errors.
    await sources.prometheus?.secrets()
    await sources.alertmanager?.secrets()
  } catch (error) {
    await closeDataSources(sources)
    if (isPrometheusError(error) && (error.kind === 'config' || error.kind === 'auth')) throw new UsageError(error.message)
    throw error
  }
  return {
    gates,
    settings,
    prepared,
    queries,
    variables,
    configFile,
    sources,
    close: () => closeDataSources(sources)
  }
}

const notConfigured = (): StageOutput => ({ result: { stage: 'gates', verdict: 'skipped', summary: 'no gates configured', findings: [] } })

/** Calls `fn` with a signal that SIGINT/SIGTERM abort (unless the caller brought its own). */
async function withInterrupt<T>(given: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (given) return fn(given)
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await fn(controller.signal)
  } finally {
    process.removeListener('SIGINT', stop)
    process.removeListener('SIGTERM', stop)
  }
}

export async function runGates(ctx: StageContext, deps: GateRunDeps = {}): Promise<StageOutput> {
  const started = Date.now()
  const p = await prepare(ctx, deps, { alertmanager: true })
  if (!p) return notConfigured()
  const intervalSeconds = p.settings.intervalMs / 1000
  let loop: LoopResult
  try {
    loop = await withInterrupt(deps.signal, (signal) =>
      runLoop(
        p.prepared.map((g) => ({ name: g.config.name, critical: g.config.critical, prepared: g })),
        p.settings,
        (g, time, windowStart) => measureGate(g.prepared, time, { sources: p.sources, variables: p.variables, intervalSeconds, windowStart, source: p.configFile, signal }),
        { ...(deps.clock ? { clock: deps.clock } : {}), signal }
      )
    )
  } finally {
    await p.close()
  }
  const result = stageResult(ctx, p, loop, { mode: 'live' })
  return { result: { ...result, durationMs: Date.now() - started }, rules: rulesOf(p.gates.checks) }
}

export async function runBacktest(ctx: StageContext, window: { from: number; to: number }, deps: GateRunDeps = {}): Promise<StageOutput> {
  const started = Date.now()
  const p = await prepare(ctx, deps, { alertmanager: false })
  if (!p) return notConfigured()
  let backtest: BacktestResult
  try {
    backtest = await withInterrupt(deps.signal, (signal) =>
      backtestGates(p.gates.checks, p.settings, window, { prometheus: p.sources.prometheus!, variables: p.variables, intervalSeconds: p.settings.intervalMs / 1000, source: p.configFile, signal })
    )
  } finally {
    await p.close()
  }
  const result = stageResult(ctx, p, backtest.loop, { mode: 'backtest', backtest })
  return { result: { ...result, durationMs: Date.now() - started }, rules: rulesOf(p.gates.checks) }
}

function rulesOf(checks: readonly GateConfig[]): Record<string, RuleInfo> {
  return Object.fromEntries(checks.map((g) => [`gate:${g.name}`, { purpose: g.description ?? gateKind(g.kind).purpose }]))
}

/** Line and column of each `gates.checks[i]` entry, read again from the file (the loader keeps no positions of a valid config). */
export function gatePositions(file: string): Array<{ line: number; column: number } | undefined> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  const checks = doc.getIn(['gates', 'checks'], true)
  if (!isSeq(checks)) return []
  return checks.items.map((item) => {
    const start = isNode(item) ? item.range?.[0] : undefined
    if (start === undefined) return undefined
    const { line, col } = lineCounter.linePos(start)
    return { line, column: col }
  })
}

function stageResult(ctx: StageContext, p: Prepared, loop: LoopResult, how: { mode: 'live' } | { mode: 'backtest'; backtest: BacktestResult }): StageResult {
  const positions = gatePositions(path.resolve(ctx.options.cwd, ctx.options.configPath))
  const checks = p.gates.checks
  const backtest = how.mode === 'backtest' ? how.backtest : undefined
  const findings: Finding[] = []
  loop.gates.forEach((outcome, i) => {
    if (outcome.verdict === 'pass') return
    const where = positions[i]
    findings.push({
      rule: `gate:${outcome.gate}`,
      stage: 'gates',
      severity: outcome.verdict === 'fail' ? 'error' : 'warning',
      message: `${backtest ? 'backtest: ' : ''}gate ${outcome.gate} ${outcome.verdict === 'fail' ? 'failed' : 'is inconclusive'}: ${outcome.reason}`,
      ...(where ? { path: p.configFile, line: where.line, column: where.column } : {}),
      ...(outcome.verdict === 'inconclusive' ? { help: inconclusiveHelp(outcome) } : {})
    })
  })

  const rounds = Math.max(0, ...loop.gates.map((g) => g.measurements.length))
  const schedule = `${rounds} round(s) every ${p.gates.interval}`
  const details: string[] = []
  if (backtest) details.push(`window ${iso(backtest.window.from)} → ${iso(backtest.window.to)}: ${backtest.times.length} step(s) every ${p.gates.interval}`)
  else details.push(`${iso(loop.startedAt)} → ${iso(loop.endedAt)}: ${schedule}${loop.interrupted ? ' (interrupted)' : ''}${loop.endedBy ? ` (ended early by critical gate ${loop.endedBy})` : ''}`)
  for (const [i, outcome] of loop.gates.entries()) {
    const gate = checks[i]!
    const c = outcome.counts
    details.push(`gate ${outcome.gate} (${gate.kind}${gate.critical ? ', critical' : ''}): ${outcome.verdict} — ${outcome.reason}`)
    details.push(`  measurements: ${c.pass} pass, ${c.fail} fail, ${c.inconclusive} inconclusive, ${c.error} error${outcome.decidedAt !== undefined ? `; decided at ${iso(outcome.decidedAt)}` : ''}`)
    const replay = backtest?.gates[i]
    if (replay) {
      const first = replay.firstFailure
      details.push(first ? `  would first have failed at ${iso(first.time)} (${elapsedText(first.time - backtest.window.from)} after --from): ${first.reason}` : `  never failed in the window`)
      if (replay.note) details.push(`  ${replay.note}`)
    }
  }

  const summary = backtest ? backtestSummary(backtest, loop) : loop.reason
  const evidence: Record<string, unknown> = {
    mode: how.mode,
    verdict: loop.verdict,
    startedAt: iso(loop.startedAt),
    endedAt: iso(loop.endedAt),
    interrupted: loop.interrupted,
    ...(loop.endedBy ? { endedBy: loop.endedBy } : {}),
    schedule: { interval: p.gates.interval, duration: p.gates.duration, count: p.gates.count, initialDelay: p.gates.initialDelay, measurements: p.settings.measurements },
    limits: { failureLimit: p.settings.failureLimit, inconclusiveLimit: p.settings.inconclusiveLimit, consecutiveErrorLimit: p.settings.consecutiveErrorLimit, consecutiveSuccesses: p.settings.consecutiveSuccesses },
    ...(backtest ? { window: { from: iso(backtest.window.from), to: iso(backtest.window.to) } } : {}),
    gates: loop.gates.map((outcome, i) => gateEvidence(p, i, outcome, backtest)),
    summaryMarkdown: summaryMarkdown(checks, backtest ? backtest.gates.map((g, i) => ({ ...loop.gates[i]!, measurements: g.steps })) : loop.gates)
  }
  return { stage: 'gates', verdict: loop.verdict, summary, findings, details, evidence }
}

function gateEvidence(p: Prepared, i: number, outcome: GateOutcome, backtest: BacktestResult | undefined) {
  const config = p.prepared[i]!.config
  const note = backtest?.gates[i]?.note
  return {
    name: outcome.gate,
    kind: config.kind,
    critical: config.critical,
    verdict: outcome.verdict,
    reason: outcome.reason,
    ...(outcome.decidedAt !== undefined ? { decidedAt: iso(outcome.decidedAt) } : {}),
    ...(outcome.firstFailureAt !== undefined ? { firstFailureAt: iso(outcome.firstFailureAt) } : {}),
    counts: outcome.counts,
    queries: p.queries[i],
    ...(readsAlertmanager(config) && !backtest ? { alertmanager: { matchers: config.matchers, includeSilenced: config.includeSilenced } } : {}),
    ...(note ? { note } : {}),
    measurements: (backtest ? backtest.gates[i]!.steps : outcome.measurements).map(measurementEvidence)
  }
}

function measurementEvidence(m: Measurement) {
  return { time: iso(m.time), verdict: m.verdict, reason: m.reason, values: m.values, observed: m.observed, lookbackSeconds: m.lookbackSeconds, ...(m.noData ? { noData: true } : {}), ...(m.errorKind ? { errorKind: m.errorKind } : {}) }
}

function inconclusiveHelp(outcome: GateOutcome): string {
  if (outcome.reason.startsWith('not finished')) return 'Another gate failed first and ended the run, so this one was not judged to the end.'
  const c = outcome.counts
  if (c.error > 0 && c.error >= c.inconclusive) return 'Prometheus or Alertmanager did not answer usably; check that it is reachable from this runner, then run the gate again. Nothing was promoted.'
  if (outcome.measurements.some((m) => m.noData || /sample size/.test(m.reason)))
    return 'Too little data to judge (no series, NaN or too few requests); let the canary take more traffic or raise inconclusiveLimit. Nothing was promoted.'
  return 'The gate could not decide; nothing was promoted. Look at the measurements in the report.'
}

function elapsedText(seconds: number): string {
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return [h ? `${h}h` : '', m ? `${m}m` : '', rest || (!h && !m) ? `${rest}s` : ''].join('')
}

function backtestSummary(backtest: BacktestResult, loop: LoopResult): string {
  const failures = backtest.gates.filter((g) => g.firstFailure)
  const head = `backtest over ${elapsedText(backtest.window.to - backtest.window.from)}: ${loop.verdict}`
  if (failures.length === 0) return `${head}; no gate would have failed (${loop.reason})`
  const first = failures.map((g) => `${g.gate} at ${iso(g.firstFailure!.time)}`).join(', ')
  return `${head}; first failures: ${first}`
}
