/**
 * Deterministic canary scenarios for the gate tests, as OpenMetrics for promtool backfill. Every
 * scenario is its own `scenario` label in one block, so one Prometheus serves them all. The
 * numbers are fixed per 15 s step (no randomness), so the values the gates see can be worked
 * out by hand: see EXPECTED.
 *
 * Timeline: one hour of data ending at END (a 2 h block boundary). Each scenario is healthy until
 * ONSET and then changes. The loop in the tests starts at LOOP_START, five minutes before ONSET,
 * and measures every 30 s.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { backfillOpenMetrics, startPrometheus, type ServerProcess } from '../infra/prometheus/harness.js'

export const END = 1_704_067_200
export const STEP = 15
export const START = END - 3_600
export const ONSET = END - 1_800
export const LOOP_START = ONSET - 300
export const INTERVAL = 30

export const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'] as const

interface Rates {
  requests: number
  errors: number
  /** Cumulative bucket increments per step, aligned with BUCKETS. */
  buckets: readonly number[]
  orders: number
}

const STABLE: Rates = { requests: 1000, errors: 1, buckets: [100, 400, 900, 995, 1000, 1000], orders: 30 }
const CANARY: Rates = { requests: 500, errors: 0.5, buckets: [50, 200, 450, 497.5, 500, 500], orders: 15 }
const SILENT: Rates = { requests: 0, errors: 0, buckets: [0, 0, 0, 0, 0, 0], orders: 0 }

/** What the canary does after ONSET in each scenario (before ONSET every canary is CANARY). */
export const SCENARIOS = {
  healthy: CANARY,
  /** The tail moves: P99 rises by about a third, the median does not move. */
  'p99-regression': { ...CANARY, buckets: [50, 200, 450, 493, 500, 500] },
  /** 5 % of canary requests fail. */
  errors: { ...CANARY, errors: 25 },
  /** Checkout stops creating orders while requests go on. */
  'events-stop': { ...CANARY, orders: 0 },
  /** Eight requests a minute, all the time: too few to judge anything. */
  'low-traffic': { requests: 2, errors: 0, buckets: [0.2, 0.8, 1.8, 1.99, 2, 2], orders: 0.05 },
  /** Traffic stops: counters stay flat, so ratios are 0/0 = NaN and quantiles NaN. */
  'no-traffic': SILENT,
  /** The canary never reported anything: every canary series is absent. */
  absent: SILENT
} satisfies Record<string, Rates>

export type Scenario = keyof typeof SCENARIOS

function canaryRates(scenario: Scenario, t: number): Rates | undefined {
  if (scenario === 'absent') return undefined
  if (scenario === 'low-traffic') return SCENARIOS['low-traffic']
  return t >= ONSET ? SCENARIOS[scenario] : CANARY
}

/** histogram_quantile's linear interpolation inside the bucket holding the rank. */
export function quantileFromBuckets(q: number, cumulative: readonly number[]): number {
  const total = cumulative.at(-1) ?? 0
  const rank = q * total
  let lowerBound = 0
  let lowerCount = 0
  for (let i = 0; i < BUCKETS.length; i++) {
    const upper = Number(BUCKETS[i])
    const count = cumulative[i] ?? 0
    if (count >= rank) {
      if (!Number.isFinite(upper)) return lowerBound
      return lowerBound + (upper - lowerBound) * ((rank - lowerCount) / (count - lowerCount))
    }
    lowerBound = upper
    lowerCount = count
  }
  return Number.NaN
}

/** Values for windows holding only pre-ONSET or only post-ONSET samples. */
export const EXPECTED = {
  p99Stable: quantileFromBuckets(0.99, STABLE.buckets),
  p99CanaryAfterRegression: quantileFromBuckets(0.99, SCENARIOS['p99-regression'].buckets),
  errorRatioStable: STABLE.errors / STABLE.requests,
  errorRatioCanary: CANARY.errors / CANARY.requests,
  errorRatioAfterErrors: SCENARIOS.errors.errors / SCENARIOS.errors.requests,
  /** Events per second of the healthy canary. */
  ordersRateCanary: CANARY.orders / STEP
}

/** The firing alert the `errors` scenario carries in Prometheus' ALERTS series from ONSET + 60 s. */
export const FIRING_ALERT = { alertname: 'CanaryErrorRate', severity: 'critical', scenario: 'errors' }
export const ALERT_FROM = ONSET + 60

export function scenarioOpenMetrics(): string {
  const times: number[] = []
  for (let t = START; t < END; t += STEP) times.push(t)
  const lines: string[] = []
  const tracks = (scenario: Scenario) => [
    { track: 'stable', rates: (): Rates => STABLE },
    ...(scenario === 'absent' ? [] : [{ track: 'canary', rates: (t: number) => canaryRates(scenario, t) ?? SILENT }])
  ]
  const scenarios = Object.keys(SCENARIOS) as Scenario[]

  lines.push('# TYPE http_requests counter')
  for (const scenario of scenarios)
    for (const { track, rates } of tracks(scenario))
      for (const code of ['200', '500'] as const) {
        let total = 0
        for (const t of times) {
          const r = rates(t)
          total += code === '500' ? r.errors : r.requests - r.errors
          lines.push(`http_requests_total{code="${code}",scenario="${scenario}",track="${track}"} ${total} ${t}`)
        }
      }

  lines.push('# TYPE http_request_duration_seconds histogram')
  for (const scenario of scenarios)
    for (const { track, rates } of tracks(scenario)) {
      const cumulative = BUCKETS.map(() => 0)
      for (const t of times)
        BUCKETS.forEach((le, i) => {
          cumulative[i] = (cumulative[i] ?? 0) + (rates(t).buckets[i] ?? 0)
          lines.push(`http_request_duration_seconds_bucket{le="${le}",scenario="${scenario}",track="${track}"} ${cumulative[i]} ${t}`)
        })
    }

  lines.push('# TYPE orders_created counter')
  for (const scenario of scenarios)
    for (const { track, rates } of tracks(scenario)) {
      let total = 0
      for (const t of times) {
        total += rates(t).orders
        lines.push(`orders_created_total{scenario="${scenario}",track="${track}"} ${total} ${t}`)
      }
    }

  lines.push('# TYPE ALERTS gauge')
  for (const t of times)
    if (t >= ALERT_FROM) lines.push(`ALERTS{alertname="${FIRING_ALERT.alertname}",alertstate="firing",scenario="errors",severity="critical"} 1 ${t}`)

  lines.push('# EOF')
  return `${lines.join('\n')}\n`
}

export async function startScenarioPrometheus(): Promise<ServerProcess> {
  const blocks = await backfillOpenMetrics(scenarioOpenMetrics())
  try {
    return await startPrometheus({ blocksDir: blocks })
  } finally {
    await rm(path.dirname(blocks), { recursive: true, force: true })
  }
}

/** Queries of the gates the tests configure; {{ scenario }} picks the data. */
export const Q = {
  errorRatio: (track = 'canary') =>
    `sum(rate(http_requests_total{scenario="{{ scenario }}",track="${track}",code="500"}[1m])) / sum(rate(http_requests_total{scenario="{{ scenario }}",track="${track}"}[1m]))`,
  p99: (track: string) => `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{scenario="{{ scenario }}",track="${track}"}[1m])))`,
  requests: (window = '1m') => `sum(increase(http_requests_total{scenario="{{ scenario }}",track="canary"}[${window}]))`,
  orders: 'sum(rate(orders_created_total{scenario="{{ scenario }}",track="canary"}[1m]))',
  errorsSince: (track: string) => `sum(increase(http_requests_total{scenario="{{ scenario }}",track="${track}",code="500"}[{{ elapsed }}]))`,
  totalSince: (track: string) => `sum(increase(http_requests_total{scenario="{{ scenario }}",track="${track}"}[{{ elapsed }}]))`
}

/** A .release-gate.yml with the given gates section body (indented YAML under `gates:`). */
export function configText(gatesBody: string, extra = ''): string {
  return `version: 1\n${extra}gates:\n${gatesBody
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`
}
