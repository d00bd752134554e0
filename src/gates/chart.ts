/**
 * The job-summary view of a gate run: per gate a mermaid `xychart-beta` (GitHub renders it) of
 * the values each measurement judged, with the limit as its own line, and a table of every
 * measurement. xychart has no legend, so the caption names the lines in drawing order.
 */
import type { GateConfig } from '../config/schema.js'
import type { GateOutcome } from './loop.js'
import type { Measurement } from './measure.js'

export interface ChartSeries {
  name: string
  values: number[]
}

export interface GateChart {
  /** Measurement times (unix seconds) that had the numbers to plot. */
  times: number[]
  series: ChartSeries[]
}

/** What each kind plots: the judged values and the line it must not cross, from `observed`. */
function pointOf(gate: GateConfig, m: Measurement): Record<string, number> | undefined {
  const o = m.observed
  const has = (...keys: string[]) => keys.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]))
  switch (gate.kind) {
    case 'threshold':
      if (!has('value')) return undefined
      return { value: o.value!, ...(gate.max !== undefined ? { max: gate.max } : {}), ...(gate.min !== undefined ? { min: gate.min } : {}) }
    case 'compare': {
      if (!has('canary', 'baseline')) return undefined
      const base = o.baseline!
      return {
        canary: o.canary!,
        baseline: base,
        ...(gate.maxIncrease !== undefined ? { 'allowed max': base + Math.max(Math.abs(base) * gate.maxIncrease, gate.minAbsoluteChange) } : {}),
        ...(gate.maxDecrease !== undefined ? { 'allowed min': base - Math.max(Math.abs(base) * gate.maxDecrease, gate.minAbsoluteChange) } : {})
      }
    }
    case 'presence':
      return has('rate') ? { rate: o.rate!, min: gate.min } : undefined
    case 'alerts':
      return has('firing') ? { 'firing alerts': o.firing! } : undefined
    case 'mann-whitney': {
      if (!has('canaryMedian', 'baselineMedian')) return undefined
      const base = o.baselineMedian!
      const limit = gate.direction === 'decrease' ? { 'effect limit': base * (1 - gate.effectSize) } : { 'effect limit': base * (1 + gate.effectSize) }
      return { 'canary median': o.canaryMedian!, 'baseline median': base, ...limit }
    }
    case 'sequential':
      return has('canaryRatio', 'baselineRatio', 'nullRatio') ? { 'canary error ratio': o.canaryRatio!, 'baseline error ratio': o.baselineRatio!, 'tested against': o.nullRatio! } : undefined
    case 'burn-rate': {
      const w = gate.windows[0]!
      const long = o[`burn[${w.long}]`]
      const short = o[`burn[${w.short}]`]
      if (typeof long !== 'number' || typeof short !== 'number' || !Number.isFinite(long) || !Number.isFinite(short)) return undefined
      return { [`burn ${w.long}`]: long, [`burn ${w.short}`]: short, factor: w.factor }
    }
  }
}

/** The chart data of one gate: only measurements with numbers (errors and no-data leave gaps). */
export function chartOf(gate: GateConfig, measurements: readonly Measurement[]): GateChart {
  const points = measurements.map((m) => ({ m, p: pointOf(gate, m) })).filter((x): x is { m: Measurement; p: Record<string, number> } => x.p !== undefined)
  const names = [...new Set(points.flatMap((x) => Object.keys(x.p)))]
  return {
    times: points.map((x) => x.m.time),
    series: names.map((name) => ({ name, values: points.map((x) => x.p[name] ?? Number.NaN) }))
  }
}

/** A number mermaid's parser reads: plain decimal, never exponent notation. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return '0'
  const rounded = Number(n.toPrecision(6))
  const text = String(rounded)
  if (!/e/i.test(text)) return text
  return rounded.toFixed(12).replace(/0+$/, '').replace(/\.$/, '')
}

const clock = (t: number) => new Date(t * 1000).toISOString().slice(11, 19)
const quote = (s: string) => `"${s.replace(/"/g, "'")}"`

/** `label` names each x-axis point from its time (unix seconds); default the UTC clock time. */
export function mermaidChart(title: string, chart: GateChart, label: (time: number) => string = clock): string {
  const lines = ['```mermaid', 'xychart-beta', `  title ${quote(title)}`, `  x-axis [${chart.times.map((t) => quote(label(t))).join(', ')}]`]
  for (const s of chart.series) lines.push(`  line [${s.values.map(plainNumber).join(', ')}]`)
  lines.push('```')
  return lines.join('\n')
}

/**
 * At most `max` points, evenly spaced, always keeping the first and the last (where a breach is),
 * so a long run still renders as a small chart.
 */
export function capPoints(chart: GateChart, max: number): GateChart {
  const n = chart.times.length
  if (n <= max || max < 2) return chart
  const keep = [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1))))]
  return { times: keep.map((i) => chart.times[i]!), series: chart.series.map((s) => ({ name: s.name, values: keep.map((i) => s.values[i]!) })) }
}

const VERDICT_ICON: Record<Measurement['verdict'], string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', error: '💥' }
/** A markdown table cell: pipes escaped, one line. */
export const tableCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

function valuesCell(m: Measurement): string {
  const entries = Object.entries(m.observed).filter(([, v]) => Number.isFinite(v))
  return entries.map(([k, v]) => `${k}=${plainNumber(v)}`).join(', ')
}

/** One gate's section: heading with its verdict, the chart (when anything was plotted) and the table. */
export function gateSection(gate: GateConfig, outcome: GateOutcome): string {
  const chart = chartOf(gate, outcome.measurements)
  const icon = outcome.verdict === 'pass' ? '✅' : outcome.verdict === 'fail' ? '❌' : '⚠️'
  const out = [`#### ${icon} ${gate.name} (${gate.kind}${gate.critical ? ', critical' : ''}): ${outcome.verdict}`, '', tableCell(outcome.reason), '']
  if (chart.times.length > 0) out.push(mermaidChart(`${gate.name}: ${chart.series.map((s) => s.name).join(' / ')}`, chart), '', `_Lines in order: ${chart.series.map((s) => s.name).join(', ')}._`, '')
  out.push('| time (UTC) | verdict | values | reason |', '| --- | --- | --- | --- |')
  for (const m of outcome.measurements) out.push(`| ${clock(m.time)} | ${VERDICT_ICON[m.verdict]} ${m.verdict} | ${tableCell(valuesCell(m))} | ${tableCell(m.reason)} |`)
  return out.join('\n')
}

export function summaryMarkdown(gates: readonly GateConfig[], outcomes: readonly GateOutcome[]): string {
  return outcomes
    .map((o) => {
      const gate = gates.find((g) => g.name === o.gate)
      return gate ? gateSection(gate, o) : ''
    })
    .filter(Boolean)
    .join('\n\n')
}
