/**
 * The job-summary view of a chaos run, per experiment: verdict, hypothesis, target and blast radius,
 * the phase timeline, a chart of each guard gate's measured values against its limit (the gates
 * stage's own charts), and the controller's Warning events when it did not pass.
 */
import { formatDuration } from '../config/duration.js'
import type { GateConfig } from '../config/schema.js'
import { capPoints, chartOf, mermaidChart, plainNumber, tableCell } from '../gates/chart.js'
import type { LoadedExperiment } from './experiment.js'
import { describeEvent } from './events.js'
import type { AnnotationResult } from './grafana.js'
import type { RunOutcome } from './run.js'

/** One experiment as the stage ran it. */
export interface ExperimentRun {
  experiment: LoadedExperiment
  outcome: RunOutcome
  /** The duration it was given (after the admission policy's cap). */
  durationMs: number
  annotation?: AnnotationResult
}

/** Points per guard chart: enough to see the shape, small enough for the summary's budget. */
export const MAX_CHART_POINTS = 60
/** Timeline rows per experiment; phases change rarely, so this only bounds a flapping controller. */
const MAX_TIMELINE_ROWS = 30

const ICON: Record<RunOutcome['verdict'], string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' }
/** A timeline offset from the run's start: "+1.2s". */
export const seconds = (ms: number) => `+${(ms / 1000).toFixed(1)}s`

export function blastRadius(experiment: LoadedExperiment): string {
  const t = experiment.target
  return t.value === undefined ? t.mode : `${t.mode} ${t.value}`
}

/** The chaos object as created ("ns/name"), else as its manifest names it (creation failed). */
export function objectName(experiment: LoadedExperiment, outcome: RunOutcome): string {
  return outcome.handle ? `${outcome.handle.namespace}/${outcome.handle.name}` : experiment.target.name
}

/** "NetworkChaos shop/net-delay-abc123 → shop; blast radius fixed 1; duration 30s", for the summary and the details. */
export function describeTarget({ experiment, outcome, durationMs }: ExperimentRun): string {
  const t = experiment.target
  return `${t.kind} ${objectName(experiment, outcome)} → ${t.targetNamespaces.join(', ')}; blast radius ${blastRadius(experiment)}; duration ${formatDuration(durationMs)}`
}

export function chaosSummaryMarkdown(runs: readonly ExperimentRun[], gates: readonly GateConfig[]): string {
  return runs.map((run) => experimentSection(run, gates)).join('\n\n')
}

function experimentSection(run: ExperimentRun, gates: readonly GateConfig[]): string {
  const { experiment, outcome } = run
  const out = [
    `#### ${ICON[outcome.verdict]} ${experiment.config.name}: ${outcome.verdict}`,
    '',
    tableCell(outcome.reason),
    '',
    `- hypothesis: ${tableCell(experiment.config.hypothesis ?? '(none stated)')}`,
    `- target: ${describeTarget(run)}`,
    '',
  ]
  if (outcome.timeline.length > 0) {
    out.push('| at | phase | detail |', '| --- | --- | --- |')
    const shown = outcome.timeline.length > MAX_TIMELINE_ROWS
      ? [...outcome.timeline.slice(0, MAX_TIMELINE_ROWS / 2), ...outcome.timeline.slice(-MAX_TIMELINE_ROWS / 2)]
      : outcome.timeline
    for (const [i, e] of shown.entries()) {
      if (shown !== outcome.timeline && i === MAX_TIMELINE_ROWS / 2) out.push(`| … | | ${outcome.timeline.length - MAX_TIMELINE_ROWS} more in the JSON report |`)
      out.push(`| ${seconds(e.atMs)} | ${e.phase} | ${tableCell(e.detail)} |`)
    }
    out.push('')
  }
  for (const name of experiment.config.guard) {
    const gate = gates.find((g) => g.name === name)
    if (gate) out.push(...guardChart(gate, outcome))
  }
  const events = outcome.events
  if (events && (events.warnings.length > 0 || events.note)) {
    out.push(`Warning events on ${experiment.target.kind} ${objectName(experiment, outcome)}${events.omitted ? ` (newest ${events.warnings.length}; ${events.omitted} older left out)` : ''}:`, '')
    out.push(...events.warnings.map((e) => `- \`${e.lastSeen.slice(11, 19)}\` ${tableCell(describeEvent(e))}`))
    if (events.note) out.push(`- ${events.note}`)
    out.push('')
  }
  return out.join('\n').trimEnd()
}

/** A guard gate's measured values with its limit line, and in words where it broke. */
function guardChart(gate: GateConfig, outcome: RunOutcome): string[] {
  const measurements = outcome.guard.filter((m) => m.gate === gate.name)
  const full = chartOf(gate, measurements)
  if (full.times.length === 0) return [`_Guard ${gate.name}: ${measurements.length} measurement(s), none with a value to plot._`, '']
  const chart = capPoints(full, MAX_CHART_POINTS)
  // Offsets from the run's start, the same clock as the timeline above.
  const startSeconds = (outcome.times?.started ?? full.times[0]! * 1000) / 1000
  const label = (time: number) => seconds((time - startSeconds) * 1000)
  const caption = [`Guard ${gate.name} (${gate.kind}), lines in order: ${chart.series.map((s) => s.name).join(', ')}.`]
  if (chart !== full) caption.push(`${chart.times.length} of ${full.times.length} measurements shown, evenly spaced; the JSON report has all.`)
  const breach = outcome.breach?.measurement
  if (breach && breach.gate === gate.name) {
    const values = Object.entries(breach.observed).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => `${k} ${plainNumber(v)}`).join(', ')
    const lastPoint = full.times.at(-1) === breach.time ? ' (the last point)' : ''
    caption.push(`Breached at ${label(breach.time)}${lastPoint}: ${values} — ${breach.reason}; stop acknowledged ${outcome.breach!.stopMs} ms and experiment gone ${outcome.breach!.goneMs} ms after that measurement.`)
  }
  return [mermaidChart(`${gate.name}: ${chart.series.map((s) => s.name).join(' / ')}`, chart, label), '', tableCell(caption.join(' ')), '']
}
