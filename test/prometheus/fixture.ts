/**
 * Deterministic canary metrics as OpenMetrics text for promtool backfill, with the answers the
 * tests expect worked out by hand from the same numbers (not read back from Prometheus).
 *
 * One hour at a 15 s step ending just before 2024-01-01T00:00:00Z (a 2 h block boundary, so all
 * of it lands in one block). Stable serves 1000 requests per step with 0.1 % errors. Canary
 * serves 500 per step, 0.1 % errors until SHIFT_AT, then 2 % errors and slower buckets.
 */

export const END = 1_704_067_200
export const STEP = 15
export const START = END - 3_600
export const SHIFT_AT = END - 1_800
/** Query time after the shift: 10 minutes before END, aligned to the step. */
export const AFTER_SHIFT = END - 600
export const BEFORE_SHIFT = SHIFT_AT - 600

export const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'] as const

interface TrackRates {
  requests: number
  errors: number
  /** Cumulative bucket increments per step, aligned with BUCKETS. */
  buckets: readonly number[]
  sumSeconds: number
}

const STABLE: TrackRates = { requests: 1000, errors: 1, buckets: [100, 400, 900, 995, 1000, 1000], sumSeconds: 150 }
const CANARY_BEFORE: TrackRates = { requests: 500, errors: 0.5, buckets: [50, 200, 450, 497.5, 500, 500], sumSeconds: 75 }
const CANARY_AFTER: TrackRates = { requests: 500, errors: 10, buckets: [25, 150, 400, 480, 500, 500], sumSeconds: 110 }

function rates(track: 'stable' | 'canary', t: number): TrackRates {
  if (track === 'stable') return STABLE
  return t >= SHIFT_AT ? CANARY_AFTER : CANARY_BEFORE
}

/** histogram_quantile's linear interpolation inside the bucket that holds the rank. */
function quantileFromBuckets(q: number, cumulative: readonly number[]): number {
  const total = cumulative[cumulative.length - 1] ?? 0
  const rank = q * total
  let lowerBound = 0
  let lowerCount = 0
  for (let i = 0; i < BUCKETS.length; i++) {
    const upper = Number(BUCKETS[i])
    const count = cumulative[i] ?? 0
    if (count >= rank) {
      // Rank in the +Inf bucket: Prometheus returns the highest finite bound.
      if (!Number.isFinite(upper)) return lowerBound
      return lowerBound + (upper - lowerBound) * ((rank - lowerCount) / (count - lowerCount))
    }
    lowerBound = upper
    lowerCount = count
  }
  return Number.NaN
}

/** Expected values for queries whose windows hold only post-shift (or only pre-shift) samples. */
export const EXPECTED = {
  p99: {
    stable: quantileFromBuckets(0.99, STABLE.buckets),
    canaryBefore: quantileFromBuckets(0.99, CANARY_BEFORE.buckets),
    canaryAfter: quantileFromBuckets(0.99, CANARY_AFTER.buckets)
  },
  errorRatio: {
    stable: STABLE.errors / STABLE.requests,
    canaryBefore: CANARY_BEFORE.errors / CANARY_BEFORE.requests,
    canaryAfter: CANARY_AFTER.errors / CANARY_AFTER.requests
  }
}

export const P99_QUERY = 'histogram_quantile(0.99, sum by (le, track) (rate(http_request_duration_seconds_bucket[1m])))'
export const ERROR_RATIO_QUERY =
  'sum by (track) (rate(http_requests_total{code="500"}[1m])) / sum by (track) (rate(http_requests_total[1m]))'

/** Label values that try to break out of a string literal, a matcher or a regex. */
export const HOSTILE_VALUES = [
  'a"b',
  '"}',
  '"} or vector(42) or {x="',
  'back\\slash',
  'trailing\\',
  '\\"',
  'line1\nline2',
  "it's",
  '{{ other }}',
  'a.b',
  '.*',
  '(x|y)+[z]^$',
  'tab\there',
  'ünïcödé ☃'
] as const
/** Near misses that a wrongly escaped regex would also match. */
export const NEAR_MISS_VALUES = ['axb', 'anything', 'xyz'] as const

function omLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

export function fixtureOpenMetrics(): string {
  const times: number[] = []
  for (let t = START; t < END; t += STEP) times.push(t)
  const lines: string[] = []

  lines.push('# TYPE http_requests counter')
  for (const track of ['stable', 'canary'] as const)
    for (const code of ['200', '500'] as const) {
      let total = 0
      for (const t of times) {
        const r = rates(track, t)
        total += code === '500' ? r.errors : r.requests - r.errors
        lines.push(`http_requests_total{code="${code}",track="${track}"} ${total} ${t}`)
      }
    }

  lines.push('# TYPE http_request_duration_seconds histogram')
  for (const track of ['stable', 'canary'] as const) {
    const cumulative = BUCKETS.map(() => 0)
    let sum = 0
    for (const t of times) {
      const r = rates(track, t)
      BUCKETS.forEach((le, i) => {
        cumulative[i] = (cumulative[i] ?? 0) + (r.buckets[i] ?? 0)
        lines.push(`http_request_duration_seconds_bucket{le="${le}",track="${track}"} ${cumulative[i]} ${t}`)
      })
      sum += r.sumSeconds
      lines.push(`http_request_duration_seconds_count{track="${track}"} ${cumulative[BUCKETS.length - 1]} ${t}`)
      lines.push(`http_request_duration_seconds_sum{track="${track}"} ${sum} ${t}`)
    }
  }

  // One series per probe value, present around AFTER_SHIFT, for the escaping tests.
  lines.push('# TYPE fixture_label_probe gauge')
  for (const value of [...HOSTILE_VALUES, ...NEAR_MISS_VALUES])
    for (let t = AFTER_SHIFT - 60; t <= AFTER_SHIFT; t += STEP) lines.push(`fixture_label_probe{value="${omLabelValue(value)}"} 1 ${t}`)

  lines.push('# EOF')
  return `${lines.join('\n')}\n`
}
