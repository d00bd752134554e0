import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config/load.js'
import { parseDuration } from '../../src/config/duration.js'

function issuesOf(text: string) {
  try {
    parseConfig(text, 'cfg.yml')
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}:${i.line}:${i.column}: ${i.message}`)
    throw err
  }
  throw new Error('expected the config to be refused')
}

const VALID = `version: 1
environments:
  staging:
    stages: [contract, gates]
prometheus:
  url: http://127.0.0.1:9090
gates:
  interval: 15s
  variables: { service: checkout }
  checks:
    - name: error-rate
      kind: threshold
      query: sum(rate(http_requests_total{service="{{ service }}",code=~"5.."}[1m]))
      max: 0.01
    - name: p99
      kind: compare
      canary: q1
      baseline: q2
      maxIncrease: 0.15
`

describe('config loading', () => {
  it('accepts a valid config and fills the documented defaults', () => {
    const cfg = parseConfig(VALID, 'cfg.yml')
    expect(cfg.environments.staging!.stages).toEqual(['contract', 'gates'])
    expect(cfg.environments.staging!.allowUntrustedTriggers).toBe(false)
    expect(cfg.gates!.count).toBe(10)
    expect(cfg.gates!.checks[0]).toMatchObject({ name: 'error-rate', noData: 'inconclusive', critical: false })
    expect(cfg.gates!.checks[1]).toMatchObject({ kind: 'compare', minAbsoluteChange: 0 })
    expect(cfg.prometheus!.timeout).toBe('10s')
  })

  it('names file:line:col and what was expected for each problem, in file order', () => {
    const issues = issuesOf(`version: 1
gates:
  interval: 30x
  checks:
    - name: error-rate
      kind: threshold
      query: up
      treshold: 3
    - name: p99
      kind: compares
    - name: orders
      kind: presence
      min: "a"
`)
    expect(issues).toEqual([
      'cfg.yml:3:13: gates.interval: expected a duration such as 30s, 5m or 1h30m',
      'cfg.yml:5:7: gates.checks[0]: a threshold gate needs min or max',
      'cfg.yml:8:7: gates.checks[0]: unknown key "treshold"',
      'cfg.yml:10:13: gates.checks[1].kind: unknown kind: expected one of "threshold", "compare", "presence", "alerts", "mann-whitney", "sequential", "burn-rate"',
      'cfg.yml:11:7: gates.checks[2].query: missing required value (expected string)',
      'cfg.yml:13:12: gates.checks[2].min: expected number, got string "a"'
    ])
  })

  it('reports YAML syntax errors and duplicate keys at their position', () => {
    expect(issuesOf('version: 1\ngates:\n  interval: [30s\n')[0]).toMatch(/^cfg\.yml:4:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/)
    expect(issuesOf('version: 1\nversion: 1\n')[0]).toMatch(/^cfg\.yml:2:1: YAML: Map keys must be unique/)
  })

  it('refuses a missing or wrong version', () => {
    expect(issuesOf('environments: {}\n')).toEqual(['cfg.yml:1:1: version: missing required value (expected 1)'])
    expect(issuesOf('version: 2\n')).toEqual(['cfg.yml:1:10: version: expected one of 1, got number 2'])
  })

  it('checks references between sections', () => {
    const issues = issuesOf(`version: 1
environments:
  staging: {}
gates:
  checks:
    - { name: p99, kind: threshold, query: up, max: 1 }
    - { name: p99, kind: threshold, query: up, max: 2 }
chaos:
  experiments:
    - name: kill
      driver: chaos-mesh
      manifest: chaos/kill.yaml
      guard: [p99, latency]
  admission:
    prod: {}
`)
    expect(issues).toEqual([
      'cfg.yml:7:15: gates.checks[1].name: gate name "p99" is used twice',
      'cfg.yml:13:20: chaos.experiments[0].guard[1]: guard "latency" names no gate; expected one of: p99',
      'cfg.yml:15:11: chaos.admission.prod: admission policy for "prod", which is not under environments (staging)'
    ])
  })
})

describe('durations', () => {
  it('parses Prometheus-style durations and refuses others', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(() => parseDuration('5 minutes')).toThrow(/expected a duration/)
  })
})
