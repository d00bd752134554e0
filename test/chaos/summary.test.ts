import { describe, expect, it } from 'vitest'
import type { LoadedExperiment } from '../../src/chaos/experiment.js'
import { MAX_CHART_POINTS, chaosSummaryMarkdown } from '../../src/chaos/report.js'
import type { RunOutcome } from '../../src/chaos/run.js'
import { parseConfig } from '../../src/config/load.js'
import type { Measurement } from '../../src/gates/measure.js'

const config = parseConfig(`version: 1
prometheus: { url: http://127.0.0.1:9 }
gates:
  checks:
    - { name: error-rate, kind: threshold, query: 'sum(rate(errors[1m]))', max: 0.05 }
    - { name: p99, kind: threshold, query: 'histogram_quantile(0.99, x)', max: 0.3 }
chaos:
  experiments:
    - { name: long, driver: chaos-mesh, manifest: m.yaml, hypothesis: 'errors | stay low', guard: [error-rate, p99], guardInterval: 10s }
`, 'c.yml')

const experiment: LoadedExperiment = {
  config: config.chaos!.experiments[0]!,
  manifest: {},
  manifestPath: 'm.yaml',
  target: { driver: 'chaos-mesh', kind: 'PodChaos', name: 'long', namespace: 'shop', targetNamespaces: ['shop'], mode: 'fixed-percent', value: 50 },
}

const START = 1_700_000_000_000
const measurement = (gate: string, i: number, value: number, max: number): Measurement => ({
  gate, time: START / 1000 + 1 + i * 10, verdict: value > max ? 'fail' : 'pass', reason: value > max ? `${value} is above max ${max}` : `${value} is ≤ ${max}`,
  observed: { value, max }, values: {}, lookbackSeconds: 60,
})

describe('the chaos job summary', () => {
  it('keeps a long guard run small: at most MAX_CHART_POINTS per chart, first and last (the breach) kept, and says so', () => {
    const count = 200
    const errorRate = Array.from({ length: count }, (_, i) => measurement('error-rate', i, i === count - 1 ? 0.2 : 0.001 * (i % 7), 0.05))
    const p99 = Array.from({ length: count }, (_, i) => measurement('p99', i, 0.25, 0.3))
    const outcome: RunOutcome = {
      verdict: 'fail', reason: 'SLO guard breached', timeline: Array.from({ length: 40 }, (_, i) => ({ atMs: i * 1000, phase: `P${i}`, detail: 'a | b' })),
      guard: errorRate.flatMap((m, i) => [m, p99[i]!]),
      breach: { measurement: errorRate.at(-1)!, stopMs: 15, goneMs: 140 },
      times: { started: START, injected: START + 500, gone: START + 2_000_000 },
    }
    const md = chaosSummaryMarkdown([{ experiment, outcome, durationMs: 1_800_000 }], config.gates!.checks)
    expect(md).toContain('- hypothesis: errors \\| stay low')
    expect(md).toContain('- target: PodChaos long → shop; blast radius fixed-percent 50; duration 30m')

    const charts = [...md.matchAll(/title "([^"]+)"\n {2}x-axis \[(.*)\]\n {2}line \[(.*)\]/g)]
    expect(charts.map((c) => c[1])).toEqual(['error-rate: value / max', 'p99: value / max'])
    for (const [, , axis] of charts) expect(axis!.split(', ')).toHaveLength(MAX_CHART_POINTS)
    const errorAxis = charts[0]![2]!.split(', ')
    const errorValues = charts[0]![3]!.split(', ')
    expect(errorAxis[0]).toBe('"+1.0s"')
    expect(errorAxis.at(-1)).toBe(`"+${1 + (count - 1) * 10}.0s"`)
    expect(errorValues.at(-1)).toBe('0.2')
    expect(md).toContain(`${MAX_CHART_POINTS} of ${count} measurements shown, evenly spaced; the JSON report has all.`)
    expect(md).toContain(`Breached at +${1 + (count - 1) * 10}.0s (the last point): value 0.2, max 0.05 — 0.2 is above max 0.05; stop acknowledged 15 ms and experiment gone 140 ms after that measurement.`)
    // Only the gate that broke gets the breach caption.
    expect(md.match(/Breached at/g)).toHaveLength(1)

    // 40 phases: the first and last 15 rows, and a row saying how many more the JSON report has.
    const rows = md.split('\n').filter((l) => /^\| (\+|…)/.test(l))
    expect(rows).toHaveLength(31)
    expect(rows[15]).toBe('| … | | 10 more in the JSON report |')
    expect(rows[0]).toBe('| +0.0s | P0 | a \\| b |')
    expect(rows.at(-1)).toBe('| +39.0s | P39 | a \\| b |')
    expect(Buffer.byteLength(md)).toBeLessThan(8 * 1024)
  })

  it('says so when a guard gate had no value to plot, and lists Warning events with the note', () => {
    const outcome: RunOutcome = {
      verdict: 'inconclusive', reason: 'guard never measured', timeline: [],
      guard: [{ gate: 'error-rate', time: START / 1000, verdict: 'error', reason: 'connection refused', observed: {}, values: {}, lookbackSeconds: 0 }],
      events: { warnings: [{ type: 'Warning', reason: 'Failed', message: 'Failed to apply chaos: boom', count: 3, lastSeen: '2023-11-14T22:13:25.000Z', from: 'x' }], omitted: 4, note: undefined },
    }
    const md = chaosSummaryMarkdown([{ experiment, outcome, durationMs: 60_000 }], config.gates!.checks)
    expect(md).not.toContain('mermaid')
    expect(md).toContain('Guard error-rate: 1 measurement(s), none with a value to plot.')
    expect(md).toContain('Warning events on PodChaos long (newest 1; 4 older left out):\n\n- `22:13:25` Failed: Failed to apply chaos: boom (×3)')
  })
})
