/**
 * Random canary runs for the gate benchmark, as OpenMetrics for promtool backfill. Each run is a
 * stable track (the baseline) and a canary track of one service, labelled run="<scenario>-<seed>",
 * with requests, 5xx errors, a latency histogram and a business event counter scraped every 15 s.
 * Counts are drawn per scrape (Poisson traffic, binomial errors, multinomial histogram buckets
 * from a log-normal latency), so every run is noisy the way real counters are.
 */
import { normalCdf } from '../../src/gates/stats.js'

/** Block boundary (2024-01-01T00:00Z): every run's data falls in one 2 h TSDB block. */
export const END = 1_704_067_200
export const SCRAPE = 15
export const INTERVAL = 30
export const ROUNDS = 20
/** The gates start here; data starts five minutes earlier so every query window is full. */
export const LOOP_START = END - 1_800
export const DATA_START = LOOP_START - 300
/** The last round: the fixed horizon of a Kayenta-style judgement. */
export const HORIZON = LOOP_START + (ROUNDS - 1) * INTERVAL
export const DATA_END = HORIZON + 60
/** Bad scenarios change the canary here, six rounds into the run. */
export const ONSET = LOOP_START + 180

export const BUCKETS = [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1, 2.5, Number.POSITIVE_INFINITY]

const MEDIAN_SECONDS = 0.08
const SIGMA = 0.5
const Z99 = 2.3263478740408408
const BASE_ERROR = 0.001
const ORDERS_PER_REQUEST = 0.05

/** What one track does during one scrape interval. */
interface TrackState {
  /** Requests per second. */
  rps: number
  errorRatio: number
  /** Log-normal latency: median in seconds and sigma. */
  median: number
  sigma: number
  ordersPerRequest: number
}

export interface Scenario {
  name: string
  bad: boolean
  description: string
  /** Per scrape time t (unix seconds): the stable and canary states, drawn with the run's random source. */
  states(t: number, random: () => number): { stable: TrackState; canary: TrackState }
  /**
   * When the change becomes visible to a gate: the first round whose data holds a changed scrape.
   * For a ramp, the first round after the canary's error ratio crosses 1 %.
   */
  visibleAt?: number
}

const healthy = (rps: number): TrackState => ({ rps, errorRatio: BASE_ERROR, median: MEDIAN_SECONDS, sigma: SIGMA, ordersPerRequest: ORDERS_PER_REQUEST })

/** The first round at or after the first scrape that carries data from after `t`. */
function firstRoundSeeing(t: number): number {
  const firstScrape = Math.floor(t / SCRAPE) * SCRAPE + SCRAPE
  return LOOP_START + Math.ceil((firstScrape - LOOP_START) / INTERVAL) * INTERVAL
}

/** A canary change at ONSET, with a healthy canary before. */
function stepChange(name: string, description: string, change: (s: TrackState) => TrackState): Scenario {
  return {
    name,
    bad: true,
    description,
    visibleAt: firstRoundSeeing(ONSET),
    states: (t) => ({ stable: healthy(200), canary: t > ONSET ? change(healthy(50)) : healthy(50) })
  }
}

/** Sigma that moves P99 by `factor` and leaves the median where it is: a tail regression. */
const tailSigma = (factor: number) => SIGMA + Math.log(factor) / Z99

const SLOW_BURN_TOP = 0.02
const SLOW_BURN_SECONDS = HORIZON - ONSET
const slowBurnRatio = (t: number) => BASE_ERROR + (SLOW_BURN_TOP - BASE_ERROR) * Math.min(1, Math.max(0, (t - ONSET) / SLOW_BURN_SECONDS))
const SLOW_BURN_CROSSES_1PCT = ONSET + ((0.01 - BASE_ERROR) / (SLOW_BURN_TOP - BASE_ERROR)) * SLOW_BURN_SECONDS

/** Lognormal factor exp(sigma·z) from a standard normal draw. */
function jitter(random: () => number, sigma: number): number {
  return Math.exp(sigma * gaussian(random))
}

export const SCENARIOS: Scenario[] = [
  { name: 'healthy', bad: false, description: 'canary 50 rps, stable 200 rps, 0.1% errors, same latency', states: () => ({ stable: healthy(200), canary: healthy(50) }) },
  {
    name: 'healthy+noise',
    bad: false,
    description: 'bursty traffic per track (±25%), shared latency wobble (±5%) and 3% of scrapes with a shared slowdown (×1.5) or error burst (1%)',
    states: (_t, random) => {
      const wobble = jitter(random, 0.05) * (random() < 0.03 ? 1.5 : 1)
      const errorRatio = random() < 0.03 ? 0.01 : BASE_ERROR
      const track = (rps: number): TrackState => ({ ...healthy(rps * jitter(random, 0.25)), median: MEDIAN_SECONDS * wobble * jitter(random, 0.02), errorRatio })
      return { stable: track(200), canary: track(50) }
    }
  },
  { name: 'low traffic', bad: false, description: 'canary 0.5 rps, stable 5 rps, otherwise healthy', states: () => ({ stable: healthy(5), canary: healthy(0.5) }) },
  stepChange('p99 +15%', 'canary tail slows: P99 ×1.15, median unchanged', (s) => ({ ...s, sigma: tailSigma(1.15) })),
  stepChange('p99 +30%', 'canary tail slows: P99 ×1.30, median unchanged', (s) => ({ ...s, sigma: tailSigma(1.3) })),
  stepChange('errors 1%', 'canary error ratio 0.1% → 1%', (s) => ({ ...s, errorRatio: 0.01 })),
  stepChange('errors 5%', 'canary error ratio 0.1% → 5%', (s) => ({ ...s, errorRatio: 0.05 })),
  stepChange('events stop', 'canary stops creating orders; requests go on', (s) => ({ ...s, ordersPerRequest: 0 })),
  {
    name: 'slow burn',
    bad: true,
    description: 'canary error ratio ramps from 0.1% at the onset to 2% at the horizon (crosses 1% after ~3.3 min)',
    visibleAt: firstRoundSeeing(SLOW_BURN_CROSSES_1PCT),
    states: (t) => ({ stable: healthy(200), canary: { ...healthy(50), errorRatio: slowBurnRatio(t) } })
  }
]

/** mulberry32: small, fast and deterministic per seed. */
export function rng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

export function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(random)))
  const limit = Math.exp(-lambda)
  let k = 0
  for (let p = random(); p > limit; p *= random()) k++
  return k
}

export function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  if (n < 60) {
    let x = 0
    for (let i = 0; i < n; i++) if (random() < p) x++
    return x
  }
  const variance = n * p * (1 - p)
  if (variance < 25) return Math.min(n, poisson(n * p, random))
  return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * gaussian(random))))
}

/** Requests per latency bucket (not cumulative), by conditional binomials. */
function bucketCounts(n: number, median: number, sigma: number, random: () => number): number[] {
  const cdf = BUCKETS.map((le) => (Number.isFinite(le) ? normalCdf(Math.log(le / median) / sigma) : 1))
  const counts: number[] = []
  let left = n
  let massLeft = 1
  let previous = 0
  for (const c of cdf) {
    const mass = c - previous
    previous = c
    const share = massLeft > 0 ? Math.min(1, mass / massLeft) : 0
    const k = binomial(left, share, random)
    counts.push(k)
    left -= k
    massLeft -= mass
  }
  counts[counts.length - 1]! += left
  return counts
}

export interface RunSpec {
  scenario: Scenario
  seed: number
  id: string
}

const labelEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

/** OpenMetrics for many runs of one scenario; series of a run ascend in time, as promtool requires. */
export function runsOpenMetrics(runs: readonly RunSpec[]): string {
  const requests: string[] = []
  const buckets: string[] = []
  const orders: string[] = []
  for (const run of runs) {
    const random = rng(run.seed)
    const totals = { stable: { ok: 0, err: 0, orders: 0, buckets: BUCKETS.map(() => 0) }, canary: { ok: 0, err: 0, orders: 0, buckets: BUCKETS.map(() => 0) } }
    const lines = { stable: { ok: [] as string[], err: [] as string[], orders: [] as string[], buckets: BUCKETS.map(() => [] as string[]) }, canary: { ok: [] as string[], err: [] as string[], orders: [] as string[], buckets: BUCKETS.map(() => [] as string[]) } }
    const id = labelEscape(run.id)
    for (let t = DATA_START; t <= DATA_END; t += SCRAPE) {
      const states = run.scenario.states(t, random)
      for (const track of ['stable', 'canary'] as const) {
        const s = states[track]
        const total = totals[track]
        const out = lines[track]
        const n = poisson(s.rps * SCRAPE, random)
        const errors = binomial(n, s.errorRatio, random)
        total.ok += n - errors
        total.err += errors
        total.orders += binomial(n - errors, s.ordersPerRequest, random)
        bucketCounts(n, s.median, s.sigma, random).forEach((k, i) => {
          total.buckets[i]! += k
        })
        out.ok.push(`http_requests_total{code="200",run="${id}",track="${track}"} ${total.ok} ${t}`)
        out.err.push(`http_requests_total{code="500",run="${id}",track="${track}"} ${total.err} ${t}`)
        out.orders.push(`orders_created_total{run="${id}",track="${track}"} ${total.orders} ${t}`)
        let running = 0
        BUCKETS.forEach((le, i) => {
          running += total.buckets[i]!
          out.buckets[i]!.push(`http_request_duration_seconds_bucket{le="${Number.isFinite(le) ? le : '+Inf'}",run="${id}",track="${track}"} ${running} ${t}`)
        })
      }
    }
    for (const track of ['stable', 'canary'] as const) {
      requests.push(...lines[track].ok, ...lines[track].err)
      orders.push(...lines[track].orders)
      for (const b of lines[track].buckets) buckets.push(...b)
    }
  }
  return [
    '# TYPE http_requests counter',
    ...requests,
    '# TYPE http_request_duration_seconds histogram',
    ...buckets,
    '# TYPE orders_created counter',
    ...orders,
    '# EOF',
    ''
  ].join('\n')
}
