/**
 * The three ways of judging a canary that the benchmark compares, all reading the same runs from
 * the same Prometheus:
 * - release-gate: its configured gates, replayed by the backtest (the same judge and loop as a live run);
 * - Argo Rollouts style: absolute thresholds per metric with Argo's AnalysisRun semantics;
 * - Kayenta style: one Mann-Whitney judgement per metric at a fixed horizon, scored like Kayenta.
 */
import { parseConfig } from '../../src/config/load.js'
import type { GateConfig } from '../../src/config/schema.js'
import { backtestGates } from '../../src/gates/backtest.js'
import { mannWhitneyKind } from '../../src/gates/kinds/mann-whitney.js'
import { loopSettings } from '../../src/gates/loop.js'
import type { PrometheusClient } from '../../src/prometheus/client.js'
import { renderQuery } from '../../src/prometheus/promql.js'
import { HORIZON, INTERVAL, LOOP_START, ROUNDS } from './scenarios.js'

export type Outcome = 'fail' | 'inconclusive' | 'pass'

export interface Judged {
  outcome: Outcome
  /** Unix seconds the run would have been stopped as failed. */
  decidedAt?: number
  /** Which metric or gate decided it. */
  by?: string
}

const sel = (track: string, extra = '') => `run="{{ run }}",track="${track}"${extra}`
const errorsSince = (track: string) => `sum(increase(http_requests_total{${sel(track, ',code="500"')}}[{{ elapsed }}]))`
const totalSince = (track: string) => `sum(increase(http_requests_total{${sel(track)}}[{{ elapsed }}]))`
const p99 = (track: string, window = '2m') => `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${sel(track)}}[${window}])))`
const requests = (window: string) => `sum(increase(http_requests_total{${sel('canary')}}[${window}]))`
const errorRatio = (track: string) => `sum(rate(http_requests_total{${sel(track, ',code="500"')}}[1m])) / sum(rate(http_requests_total{${sel(track)}}[1m]))`
const ordersRate = (track: string) => `sum(rate(orders_created_total{${sel(track)}}[1m]))`
const ordersPerRequest = (track: string) => `${ordersRate(track)} / sum(rate(http_requests_total{${sel(track)}}[1m]))`

/** release-gate's gates for the benchmark, as a user would write them in .release-gate.yml. */
export const RELEASE_GATE_CONFIG = `version: 1
gates:
  interval: 30s
  count: ${ROUNDS}
  consecutiveSuccesses: 2
  checks:
    - name: errors
      description: Canary error ratio not above the baseline's (anytime-valid sequential test).
      kind: sequential
      critical: true
      canaryErrors: '${errorsSince('canary')}'
      canaryTotal: '${totalSince('canary')}'
      baselineErrors: '${errorsSince('stable')}'
      baselineTotal: '${totalSince('stable')}'
      alpha: 0.001
      minSamples: { query: '${totalSince('canary')}', min: 500 }
    - name: p99-fast
      description: Large tail regressions, caught within a minute or two.
      kind: compare
      critical: true
      canary: '${p99('canary', '1m')}'
      baseline: '${p99('stable', '1m')}'
      maxIncrease: 0.25
      minAbsoluteChange: 0.005
      minSamples: { query: '${requests('1m')}', min: 500 }
    - name: p99-steady
      description: Smaller tail regressions, over a window long enough to keep P99 noise (about 3.6%) well under the limit.
      kind: compare
      critical: true
      canary: '${p99('canary', '3m')}'
      baseline: '${p99('stable', '3m')}'
      maxIncrease: 0.13
      minAbsoluteChange: 0.005
      minSamples: { query: '${requests('3m')}', min: 1500 }
    - name: orders
      kind: presence
      critical: true
      query: '${ordersRate('canary')}'
      min: 0
      minSamples: { query: '${requests('1m')}', min: 100 }
`

type GatesConfig = NonNullable<ReturnType<typeof parseConfig>['gates']>

/** The gates section of a config text (the built-in one, or a user's via --config); `{{ run }}` selects the run. */
export function releaseGateGates(text = RELEASE_GATE_CONFIG, file = 'bench/gates/methods.ts'): GatesConfig {
  const gates = parseConfig(text, file).gates
  if (!gates || gates.checks.length === 0) throw new Error(`${file}: no gates.checks to benchmark`)
  return gates
}

export async function judgeReleaseGate(prometheus: PrometheusClient, run: string, gates: GatesConfig): Promise<Judged> {
  const settings = loopSettings(gates)
  const result = await backtestGates(gates.checks, settings, { from: LOOP_START, to: HORIZON }, {
    prometheus,
    variables: { ...gates.variables, run },
    intervalSeconds: INTERVAL,
    source: 'release-gate config'
  })
  const failed = result.loop.gates.filter((g) => g.verdict === 'fail').sort((a, b) => a.decidedAt! - b.decidedAt!)
  if (failed.length > 0) return { outcome: 'fail', decidedAt: failed[0]!.decidedAt!, by: failed[0]!.gate }
  return { outcome: result.loop.verdict }
}

/** Argo-style metrics: the thresholds a user writes in an AnalysisTemplate (successCondition only). */
export const ARGO_METRICS = [
  { name: 'error-rate', query: errorRatio('canary'), condition: 'result[0] <= 0.005', ok: (v: number) => v <= 0.005 },
  // Argo has no baseline: the P99 limit is the healthy P99 the histogram reports (0.26 s over 10 minutes) plus 10%.
  { name: 'p99-latency', query: p99('canary'), condition: 'result[0] <= 0.285', ok: (v: number) => v <= 0.285 },
  { name: 'orders', query: ordersRate('canary'), condition: 'result[0] > 0', ok: (v: number) => v > 0 }
]

/**
 * Argo's AnalysisRun semantics with its defaults (failureLimit 0, inconclusiveLimit 0,
 * consecutiveErrorLimit 4): an empty result makes `result[0]` a runtime error (an Error
 * measurement); NaN compares false, so the measurement is Failed; any Failed metric or a fifth
 * Error in a row ends the run and aborts the rollout.
 */
export async function judgeArgo(prometheus: PrometheusClient, run: string): Promise<Judged> {
  const series = await Promise.all(ARGO_METRICS.map((m) => rangeByRound(prometheus, m.query, run)))
  const errorsInRow = ARGO_METRICS.map(() => 0)
  for (let round = 0; round < ROUNDS; round++) {
    const time = LOOP_START + round * INTERVAL
    for (const [i, metric] of ARGO_METRICS.entries()) {
      const value = series[i]![round]
      if (value === undefined) {
        errorsInRow[i]!++
        if (errorsInRow[i]! > 4) return { outcome: 'fail', decidedAt: time, by: `${metric.name} (error: empty result)` }
        continue
      }
      errorsInRow[i] = 0
      if (!metric.ok(value)) return { outcome: 'fail', decidedAt: time, by: `${metric.name}${Number.isNaN(value) ? ' (NaN)' : ''}` }
    }
  }
  return { outcome: 'pass' }
}

/** Kayenta-style metrics: canary against baseline per metric, with the bad direction. */
const KAYENTA_METRICS = [
  { name: 'error-ratio', canary: errorRatio('canary'), baseline: errorRatio('stable'), direction: 'increase' },
  { name: 'p99-latency', canary: p99('canary'), baseline: p99('stable'), direction: 'increase' },
  { name: 'orders-per-request', canary: ordersPerRequest('canary'), baseline: ordersPerRequest('stable'), direction: 'decrease' }
]

const kayentaJudges: GateConfig[] = parseConfig(
  `version: 1
gates:
  checks:
${KAYENTA_METRICS.map((m) => `    - { name: ${m.name}, kind: mann-whitney, canary: x, baseline: y, direction: ${m.direction}, confidence: 0.98, effectSize: 0.1, minSamplesPerSide: 10 }`).join('\n')}
`,
  'kayenta.yml'
).gates!.checks

/**
 * Kayenta-style: after the whole analysis window (fixed horizon, no early stop), each metric's
 * samples are compared with the Mann-Whitney judge (98% confidence, 10% effect size; NaN samples
 * removed, fewer than 10 per side = no data). Score = passing / judged metrics; no data on half
 * the metrics or more scores 0; a score under 75 fails — with three metrics, one High fails.
 */
export async function judgeKayenta(prometheus: PrometheusClient, run: string): Promise<Judged> {
  let pass = 0
  let high = 0
  let noData = 0
  let firstHigh: string | undefined
  for (const [i, metric] of KAYENTA_METRICS.entries()) {
    const [canary, baseline] = await Promise.all([rangeByRound(prometheus, metric.canary, run), rangeByRound(prometheus, metric.baseline, run)])
    const finite = (values: Array<number | undefined>) => values.filter((v): v is number => v !== undefined && Number.isFinite(v))
    const judgement = mannWhitneyKind.judge({ values: { canary: finite(canary), baseline: finite(baseline) } }, kayentaJudges[i]! as never)
    if (judgement.verdict === 'inconclusive') noData++
    else if (judgement.verdict === 'fail') {
      high++
      firstHigh ??= metric.name
    } else pass++
  }
  const score = noData * 2 >= KAYENTA_METRICS.length || pass + high === 0 ? 0 : (100 * pass) / (pass + high)
  if (score >= 75) return { outcome: 'pass' }
  return { outcome: 'fail', decidedAt: HORIZON, by: firstHigh ?? 'no data' }
}

/** One value per round (undefined where the vector was empty), from one range query. */
async function rangeByRound(prometheus: PrometheusClient, template: string, run: string): Promise<Array<number | undefined>> {
  const query = renderQuery(template, { run })
  const { data } = await prometheus.queryRange(query, { start: LOOP_START, end: HORIZON, stepSeconds: INTERVAL })
  const values: Array<number | undefined> = Array(ROUNDS).fill(undefined)
  for (const series of data.result)
    for (const sample of series.samples) {
      const round = Math.round((sample.timestamp - LOOP_START) / INTERVAL)
      if (round >= 0 && round < ROUNDS && values[round] === undefined) values[round] = sample.value
    }
  return values
}
