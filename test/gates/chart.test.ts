import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import type { GateConfig } from '../../src/config/schema.js'
import { chartOf, gateSection, mermaidChart, plainNumber, summaryMarkdown } from '../../src/gates/chart.js'
import { GateTracker } from '../../src/gates/loop.js'
import type { Measurement } from '../../src/gates/measure.js'
import { configText } from './fixture.js'

function gate(yaml: string): GateConfig {
  return parseConfig(configText(`checks:\n  - ${yaml.trim().split('\n').join('\n    ')}`), 'x.yml').gates!.checks[0]!
}

const T = 1_704_067_200
function m(time: number, verdict: Measurement['verdict'], observed: Record<string, number>, reason = 'r'): Measurement {
  return { gate: 'g', time, verdict, reason, observed, values: {}, lookbackSeconds: 30 }
}

describe('gate charts', () => {
  it('plots a compare gate as canary, baseline and the allowed maximum, skipping measurements without numbers', () => {
    const g = gate('name: p99\nkind: compare\ncanary: c\nbaseline: b\nmaxIncrease: 0.15\nminAbsoluteChange: 0.005')
    const chart = chartOf(g, [
      m(T, 'pass', { canary: 0.25, baseline: 0.24, change: 0.04 }),
      m(T + 30, 'error', {}),
      m(T + 60, 'fail', { canary: 0.4, baseline: 0.24, change: 0.67 })
    ])
    expect(chart).toEqual({
      times: [T, T + 60],
      series: [
        { name: 'canary', values: [0.25, 0.4] },
        { name: 'baseline', values: [0.24, 0.24] },
        { name: 'allowed max', values: [expect.closeTo(0.276, 12), expect.closeTo(0.276, 12)] }
      ]
    })
    expect(mermaidChart('p99', chart)).toBe(
      ['```mermaid', 'xychart-beta', '  title "p99"', '  x-axis ["00:00:00", "00:01:00"]', '  line [0.25, 0.4]', '  line [0.24, 0.24]', '  line [0.276, 0.276]', '```'].join('\n')
    )
  })

  it('uses the limit each kind judges against', () => {
    expect(chartOf(gate('name: e\nkind: threshold\nquery: q\nmax: 0.01'), [m(T, 'pass', { value: 0.002, max: 0.01 })]).series.map((s) => s.name)).toEqual(['value', 'max'])
    expect(chartOf(gate('name: o\nkind: presence\nquery: q\nmin: 0'), [m(T, 'pass', { rate: 2, min: 0 })]).series).toEqual([
      { name: 'rate', values: [2] },
      { name: 'min', values: [0] }
    ])
    const seq = gate('name: s\nkind: sequential\ncanaryErrors: a\ncanaryTotal: b\nbaselineErrors: c\nbaselineTotal: d')
    expect(chartOf(seq, [m(T, 'pass', { canaryRatio: 0.01, baselineRatio: 0.001, nullRatio: 0.0015, evidence: 3, threshold: 100 })]).series.map((s) => s.name)).toEqual([
      'canary error ratio',
      'baseline error ratio',
      'tested against'
    ])
    const mw = gate('name: w\nkind: mann-whitney\ncanary: a\nbaseline: b\neffectSize: 0.2')
    expect(chartOf(mw, [m(T, 'pass', { canaryMedian: 1.1, baselineMedian: 1, p: 0.2, effect: 0.1 })]).series[2]).toEqual({ name: 'effect limit', values: [1.2] })
    const burn = gate('name: b\nkind: burn-rate\nerrorRatio: q\nobjective: 0.999')
    expect(chartOf(burn, [m(T, 'pass', { 'burn[1h]': 2, 'burn[5m]': 3, 'burn[6h]': 1, 'burn[30m]': 1 })]).series).toEqual([
      { name: 'burn 1h', values: [2] },
      { name: 'burn 5m', values: [3] },
      { name: 'factor', values: [14.4] }
    ])
    expect(chartOf(gate('name: a\nkind: alerts'), [m(T, 'fail', { firing: 2 })]).series).toEqual([{ name: 'firing alerts', values: [2] }])
  })

  it('writes numbers mermaid can parse: never exponent notation', () => {
    expect(plainNumber(0.000000123456)).toBe('0.000000123456')
    expect(plainNumber(1234567.891)).toBe('1234570')
    expect(plainNumber(Number.NaN)).toBe('0')
    expect(plainNumber(-2.5e-7)).toBe('-0.00000025')
  })

  it('renders a section per gate with its verdict, the chart and a row per measurement, escaping pipes', () => {
    const g = gate('name: errors\nkind: threshold\nquery: q\nmax: 0.01')
    const tracker = new GateTracker({ name: 'errors', critical: false }, { failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccesses: 1 })
    tracker.record(m(T, 'pass', { value: 0.002, max: 0.01 }, '0.002 is ≤ 0.01'))
    tracker.record(m(T + 30, 'error', {}, 'HTTP 503 | upstream'))
    tracker.record(m(T + 60, 'fail', { value: 0.05, max: 0.01 }, '0.05 is above max 0.01'))
    const section = gateSection(g, tracker.finish())
    expect(section.split('\n')).toEqual([
      '#### ❌ errors (threshold): fail',
      '',
      'failed (1) > failureLimit (0): 0.05 is above max 0.01',
      '',
      '```mermaid',
      'xychart-beta',
      '  title "errors: value / max"',
      '  x-axis ["00:00:00", "00:01:00"]',
      '  line [0.002, 0.05]',
      '  line [0.01, 0.01]',
      '```',
      '',
      '_Lines in order: value, max._',
      '',
      '| time (UTC) | verdict | values | reason |',
      '| --- | --- | --- | --- |',
      '| 00:00:00 | ✅ pass | value=0.002, max=0.01 | 0.002 is ≤ 0.01 |',
      '| 00:00:30 | 💥 error |  | HTTP 503 \\| upstream |',
      '| 00:01:00 | ❌ fail | value=0.05, max=0.01 | 0.05 is above max 0.01 |'
    ])
    expect(summaryMarkdown([g], [tracker.finish()])).toBe(section)
  })

  it('leaves the chart out when no measurement had numbers', () => {
    const g = gate('name: errors\nkind: threshold\nquery: q\nmax: 0.01')
    const tracker = new GateTracker({ name: 'errors', critical: false }, { failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccesses: 1 })
    tracker.record(m(T, 'inconclusive', {}, 'no data'))
    expect(gateSection(g, tracker.finish())).not.toContain('mermaid')
  })
})
