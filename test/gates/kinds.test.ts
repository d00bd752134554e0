import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import type { GateConfig } from '../../src/config/schema.js'
import { gateKind, gateKinds } from '../../src/gates/kinds/index.js'
import { logMixtureRatio } from '../../src/gates/kinds/sequential.js'
import { fmt, type GateData } from '../../src/gates/kinds/common.js'
import { hodgesLehmann, incompleteBeta, mannWhitney, normalCdf } from '../../src/gates/stats.js'

/** A gate as the config loader produces it, defaults filled. */
function gate(yaml: string): GateConfig {
  return parseConfig(`version: 1\ngates:\n  checks:\n    - ${yaml.trim().split('\n').join('\n      ')}\n`, 'test.yml').gates!.checks[0]!
}
const judge = (g: GateConfig, data: GateData) => gateKind(g.kind).judge(data, g as never)

/** Deterministic PRNG (mulberry32) so statistical tests are repeatable. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
function binomial(n: number, p: number, random: () => number): number {
  let x = 0
  for (let i = 0; i < n; i++) if (random() < p) x++
  return x
}

describe('gate kind registry', () => {
  it('every kind has a purpose, a config schema, queries and a judge', () => {
    expect(gateKinds.map((k) => k.kind)).toEqual(['threshold', 'compare', 'presence', 'alerts', 'mann-whitney', 'sequential', 'burn-rate'])
    for (const k of gateKinds) expect(k.purpose.length).toBeGreaterThan(20)
    expect(() => gateKind('nope')).toThrow('unknown gate kind "nope"; expected one of threshold, compare')
  })
})

describe('threshold', () => {
  const g = gate('name: errors\nkind: threshold\nquery: q\nmax: 0.01')
  it('fails on any series above max and names the value', () => {
    expect(judge(g, { values: { query: [0.002, 0.02] } })).toMatchObject({ verdict: 'fail', reason: '0.02 is above max 0.01' })
    expect(judge(g, { values: { query: [0.002, 0.004] } })).toMatchObject({ verdict: 'pass', reason: '0.004 is ≤ 0.01' })
  })
  it('checks min too', () => {
    expect(judge(gate('name: up\nkind: threshold\nquery: q\nmin: 3'), { values: { query: [5, 2] } })).toMatchObject({ verdict: 'fail', reason: '2 is below min 3' })
  })
})

describe('compare (P99 against the stable baseline)', () => {
  const g = gate('name: p99\nkind: compare\ncanary: c\nbaseline: b\nmaxIncrease: 0.15\nminAbsoluteChange: 0.005')
  it('fails a rise over 15% and passes one under it', () => {
    expect(judge(g, { values: { canary: [0.3], baseline: [0.24] } })).toMatchObject({ verdict: 'fail', reason: 'canary 0.3 vs baseline 0.24 (+25%) exceeds the allowed +15%' })
    expect(judge(g, { values: { canary: [0.26], baseline: [0.24] } }).verdict).toBe('pass')
  })
  it('never trips on a tiny baseline below the absolute floor', () => {
    expect(judge(g, { values: { canary: [0.004], baseline: [0.001] } })).toMatchObject({ verdict: 'pass', reason: expect.stringContaining('within the absolute floor') })
  })
  it('is inconclusive when a query returns several series', () => {
    expect(judge(g, { values: { canary: [1, 2], baseline: [1] } }).verdict).toBe('inconclusive')
  })
})

describe('presence and alerts', () => {
  it('a stopped event flow fails, and presence defaults to failing on no data', () => {
    const g = gate('name: orders\nkind: presence\nquery: q\nmin: 0')
    expect(judge(g, { values: { query: [0] } })).toMatchObject({ verdict: 'fail' })
    expect(judge(g, { values: { query: [0.4] } })).toMatchObject({ verdict: 'pass' })
    expect(g).toMatchObject({ noData: 'fail' })
  })
  it('any firing alert fails and is named', () => {
    const g = gate('name: alerts\nkind: alerts\nmatchers: [\'severity="critical"\']')
    expect(judge(g, { values: {}, alerts: ['HighErrorRate', 'PodCrashLooping'] })).toMatchObject({ verdict: 'fail', reason: '2 alert(s) firing: HighErrorRate, PodCrashLooping' })
    expect(judge(g, { values: {}, alerts: [] }).verdict).toBe('pass')
    expect(gateKind('alerts').queries({ ...g, source: 'prometheus' } as never)).toEqual({ query: 'ALERTS{alertstate="firing",severity="critical"}' })
  })
})

describe('statistics', () => {
  it('matches textbook values', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6)
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6)
    expect(incompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 12) // exact binomial sum (6+4+1)/16
    expect(incompleteBeta(0.2, 1, 1)).toBeCloseTo(0.2, 12)
    expect(incompleteBeta(0.9, 30, 5)).toBeCloseTo(1 - incompleteBeta(0.1, 5, 30), 12)
  })
  it('computes U with mid-ranks for ties', () => {
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).u).toBe(0)
    expect(mannWhitney([4, 5, 6], [1, 2, 3]).u).toBe(9)
    expect(mannWhitney([1, 2, 2], [2, 3, 4]).u).toBe(1) // two ties with the 2 count one half each
    expect(hodgesLehmann([10, 11, 12], [1, 2, 3])).toBe(9)
  })
})

describe('mann-whitney (Kayenta-style judge)', () => {
  const g = gate('name: latency\nkind: mann-whitney\ncanary: c\nbaseline: b\nconfidence: 0.98\neffectSize: 0.1')
  const random = rng(7)
  const noisy = (center: number, n: number) => Array.from({ length: n }, () => center * (1 + (random() - 0.5) * 0.1))
  it('fails a clear 30% shift and passes the same distribution', () => {
    expect(judge(g, { values: { canary: noisy(1.3, 40), baseline: noisy(1, 40) } }).verdict).toBe('fail')
    expect(judge(g, { values: { canary: noisy(1, 40), baseline: noisy(1, 40) } }).verdict).toBe('pass')
  })
  it('passes a significant but tiny shift below the effect size', () => {
    const result = judge(g, { values: { canary: noisy(1.03, 200), baseline: noisy(1, 200) } })
    expect(result.observed.p).toBeLessThan(0.02)
    expect(result.verdict).toBe('pass')
  })
  it('is inconclusive with too few samples', () => {
    expect(judge(g, { values: { canary: [1, 2], baseline: [1, 2, 3] } }).verdict).toBe('inconclusive')
  })
})

describe('sequential (anytime-valid)', () => {
  const g = gate('name: errors\nkind: sequential\ncanaryErrors: a\ncanaryTotal: b\nbaselineErrors: c\nbaselineTotal: d\nalpha: 0.05\nminRelativeIncrease: 0.5')

  /** One canary run: cumulative counts, judged after every interval like the loop does. */
  function run(canaryRate: number, baselineRate: number, looks: number, seed: number): { failedAt?: number } {
    const random = rng(seed)
    let x = 0, n = 0, bx = 0, bn = 0
    for (let look = 1; look <= looks; look++) {
      n += 500
      x += binomial(500, canaryRate, random)
      bn += 1000
      bx += binomial(1000, baselineRate, random)
      const verdict = judge(g, { values: { canaryErrors: [x], canaryTotal: [n], baselineErrors: [bx], baselineTotal: [bn] } }).verdict
      if (verdict === 'fail') return { failedAt: look }
    }
    return {}
  }

  it('keeps false fails under alpha over many looks on healthy canaries', () => {
    const runs = 200
    const falseFails = Array.from({ length: runs }, (_, i) => run(0.01, 0.01, 20, 1000 + i)).filter((r) => r.failedAt !== undefined).length
    expect(falseFails / runs).toBeLessThanOrEqual(0.05)
  })
  it('detects a tripled error ratio within a few looks', () => {
    const detections = Array.from({ length: 50 }, (_, i) => run(0.03, 0.01, 20, 5000 + i))
    expect(detections.every((r) => r.failedAt !== undefined)).toBe(true)
    expect(Math.max(...detections.map((r) => r.failedAt!))).toBeLessThanOrEqual(6)
  })
  it('the evidence grows with the excess errors', () => {
    expect(logMixtureRatio(30, 1000, 0.015, 1, 32)).toBeGreaterThan(logMixtureRatio(20, 1000, 0.015, 1, 32))
    expect(logMixtureRatio(0, 1000, 0.015, 1, 32)).toBeLessThan(0)
  })
})

describe('burn-rate', () => {
  const g = gate('name: slo\nkind: burn-rate\nerrorRatio: sum(rate(errors[{{ window }}])) / sum(rate(requests[{{ window }}]))\nobjective: 0.999')
  it('queries each window of the SRE workbook pairs', () => {
    expect(Object.keys(gateKind('burn-rate').queries(g as never))).toEqual(['errorRatio[1h]', 'errorRatio[5m]', 'errorRatio[6h]', 'errorRatio[30m]'])
    expect(gateKind('burn-rate').queries(g as never)['errorRatio[5m]']).toBe('sum(rate(errors[5m])) / sum(rate(requests[5m]))')
  })
  it('fails only when both windows of a pair burn faster than the factor', () => {
    const values = (long1h: number, short5m: number) => ({ 'errorRatio[1h]': [long1h], 'errorRatio[5m]': [short5m], 'errorRatio[6h]': [0.001], 'errorRatio[30m]': [0.001] })
    expect(judge(g, { values: values(0.02, 0.02) })).toMatchObject({ verdict: 'fail', reason: 'burning the error budget 20× over 1h and 20× over 5m, above 14.4×' })
    expect(judge(g, { values: values(0.02, 0.001) }).verdict).toBe('pass') // already recovering
  })
})

describe('numbers in verdict reasons', () => {
  it('prints four significant digits and switches to exponents on the rounded value', () => {
    expect([0.000999999, 0.001, 0.0012345, 0.0001234, 1234567.5, 2].map(fmt)).toEqual(['0.001', '0.001', '0.001234', '1.234e-4', '1.235e+6', '2'])
  })
})
