/**
 * The version suffix of a package (`foo.bar.v1beta2`), parsed with buf's rules: the last
 * component is v<major>, v<major>test<anything>, v<major>(alpha|beta)<minor?> or
 * v<major>p<patch>(alpha|beta)<minor?>, numbers ≥ 1, and the package has at least two components.
 */

export type Stability = 'stable' | 'alpha' | 'beta' | 'test'

export interface PackageVersion {
  major: number
  stability: Stability
}

/** Go's strconv.ParseInt(s, 10, 32) accepts an optional sign and decimal digits within int32. */
function parseNumber(s: string, minimum: number): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const value = Number(s)
  if (value > 2147483647 || value < -2147483648 || value < minimum) return undefined
  return value
}

export function packageVersion(pkg: string): PackageVersion | undefined {
  if (pkg === '') return undefined
  const parts = pkg.split('.')
  if (parts.length < 2) return undefined
  const component = parts[parts.length - 1]!
  if (component.length < 2 || component[0] !== 'v') return undefined
  const version = component.slice(1)

  const testAt = version.indexOf('test')
  if (testAt >= 0) {
    const major = parseNumber(version.slice(0, testAt), 1)
    return major === undefined ? undefined : { major, stability: 'test' }
  }
  const alpha = version.includes('alpha')
  const beta = version.includes('beta')
  if (alpha && beta) return undefined
  if (!alpha && !beta) {
    const major = parseNumber(version, 1)
    return major === undefined ? undefined : { major, stability: 'stable' }
  }
  const stability = alpha ? 'alpha' : 'beta'
  const at = version.indexOf(stability)
  const minor = version.slice(at + stability.length)
  if (minor !== '' && parseNumber(minor, 1) === undefined) return undefined
  const majorAndPatch = version.slice(0, at)
  const patchAt = majorAndPatch.indexOf('p')
  if (patchAt >= 0) {
    const major = parseNumber(majorAndPatch.slice(0, patchAt), 1)
    if (major === undefined || parseNumber(majorAndPatch.slice(patchAt + 1), 1) === undefined) return undefined
    return { major, stability }
  }
  const major = parseNumber(majorAndPatch, 1)
  return major === undefined ? undefined : { major, stability }
}
