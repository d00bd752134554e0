/**
 * Small, dependency-free statistics for the judges: the normal distribution, the regularized
 * incomplete beta function, the Mann-Whitney U test and the Hodges-Lehmann shift estimate.
 */

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2))
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-(z * z) / 2)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** log Γ(x) for x > 0: Stirling's series, after shifting small arguments up by the recurrence Γ(x+1) = xΓ(x). */
function logGamma(x: number): number {
  let shift = 0
  while (x < 15) {
    shift += Math.log(x)
    x += 1
  }
  const inv = 1 / x
  const inv2 = inv * inv
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift
}

export const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b)

/** Regularized incomplete beta I_x(a, b), by its continued fraction (modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  // The fraction converges fast only below the mean; use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a)
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b)) / a
  const tiny = 1e-300
  let f = 1
  let c = 1
  let d = 0
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2)
    const numerator = i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 + numerator * d
    d = Math.abs(d) < tiny ? tiny : d
    d = 1 / d
    c = 1 + numerator / c
    c = Math.abs(c) < tiny ? tiny : c
    const cd = c * d
    f *= cd
    if (Math.abs(1 - cd) < 1e-12) break
  }
  return front * (f - 1)
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export interface MannWhitney {
  u: number
  z: number
  /** One-sided p-value for "x tends to be larger than y". */
  pGreater: number
  /** One-sided p-value for "x tends to be smaller than y". */
  pLess: number
}

/** Mann-Whitney U with mid-ranks for ties, the tie-corrected variance and a continuity correction. */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length
  const n2 = y.length
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v)
  let rankSumX = 0
  let tieTerm = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++
    const midRank = (i + j) / 2 + 1
    const ties = j - i + 1
    tieTerm += ties ** 3 - ties
    for (let k = i; k <= j; k++) if (all[k]!.fromX) rankSumX += midRank
    i = j + 1
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2
  const n = n1 + n2
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return { u, z: 0, pGreater: 1, pLess: 1 }
  const sd = Math.sqrt(variance)
  const zGreater = (u - mean - 0.5) / sd
  const zLess = (u - mean + 0.5) / sd
  return { u, z: (u - mean) / sd, pGreater: 1 - normalCdf(zGreater), pLess: normalCdf(zLess) }
}

/** Hodges-Lehmann estimate of the shift x − y: the median of all pairwise differences. */
export function hodgesLehmann(x: readonly number[], y: readonly number[]): number {
  const diffs: number[] = []
  for (const a of x) for (const b of y) diffs.push(a - b)
  return median(diffs)
}
