import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { admit } from '../../src/chaos/admission/index.js'
import { branchMatches } from '../../src/chaos/admission/rules.js'
import type { AdmissionInput } from '../../src/chaos/admission/types.js'
import { chaosMeshTarget, litmusTarget, type ChaosManifest, type ChaosTarget } from '../../src/chaos/target.js'
import type { AdmissionPolicy } from '../../src/config/schema.js'

const target = (t: Partial<ChaosTarget> = {}): ChaosTarget => ({
  driver: 'chaos-mesh',
  kind: 'PodChaos',
  name: 'kill',
  namespace: 'shop',
  targetNamespaces: ['shop'],
  mode: 'fixed',
  value: 1,
  ...t
})
const policy = (p: Partial<AdmissionPolicy> = {}): AdmissionPolicy => ({ allowAll: false, maxDuration: '10m', ...p })
const input = (i: Partial<AdmissionInput> = {}): AdmissionInput => ({
  environment: 'staging',
  policy: policy(),
  target: target(),
  now: new Date('2026-11-27T03:00:00Z'),
  branch: 'release/1.2',
  ...i
})
const refusals = (i: Partial<AdmissionInput>) =>
  admit(input(i)).decisions.flatMap((d) => (d.outcome === 'refuse' ? [`${d.rule}: ${d.reason} — ${d.fix}`] : []))

describe('admission policy', () => {
  it('admits an experiment inside every limit', () => {
    const result = admit(input({ policy: policy({ kinds: ['PodChaos'], namespaces: ['shop'], maxPods: 2, branches: ['release/*'] }) }))
    expect(result).toMatchObject({ admitted: true, pending: false })
  })

  it('refuses kinds, namespaces and blast radius outside the policy, saying how to satisfy it', () => {
    expect(refusals({ policy: policy({ kinds: ['NetworkChaos'] }) })).toEqual([
      'ADMISSION_KIND: PodChaos is not an allowed kind in staging (allowed: NetworkChaos) — add PodChaos to chaos.admission.staging.kinds'
    ])
    expect(refusals({ target: target({ targetNamespaces: ['shop', 'payments'] }), policy: policy({ namespaces: ['shop'] }) })).toEqual([
      'ADMISSION_NAMESPACE: the selectors reach payments, outside the allowed namespaces (shop) — narrow the selector, or add the namespace to chaos.admission.staging.namespaces'
    ])
    expect(refusals({ target: target({ value: 3 }), policy: policy({ maxPods: 2 }) })).toEqual([
      'ADMISSION_BLAST_RADIUS: mode fixed selects 3 pods, more than maxPods 2 — lower spec.value to 2 or raise chaos.admission.staging.maxPods'
    ])
    expect(refusals({ target: target({ mode: 'random-max-percent', value: 60 }), policy: policy({ maxPercent: 50 }) })[0]).toMatch(/^ADMISSION_BLAST_RADIUS: mode random-max-percent selects up to 60%/)
    expect(refusals({ target: target({ mode: 'all', value: undefined }) })[0]).toMatch(/^ADMISSION_BLAST_RADIUS: mode "all" selects every matching pod/)
    expect(refusals({ target: target({ mode: 'all', value: undefined }), policy: policy({ allowAll: true }) })).toEqual([])
  })

  it('without a namespace list, only the chaos object\'s own namespace may be targeted', () => {
    expect(refusals({ target: target({ targetNamespaces: ['kube-system'] }) })[0]).toMatch(/^ADMISSION_NAMESPACE: the selectors reach kube-system/)
  })

  it('honours time windows in their time zone, including windows across midnight', () => {
    // 03:00 UTC on a Friday is 04:00 in Berlin (CET, UTC+1 in November).
    const berlin = policy({ windows: [{ start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' }] })
    expect(refusals({ policy: berlin })[0]).toMatch(/^ADMISSION_WINDOW: 2026-11-27T03:00:00.000Z is outside the allowed windows \(02:00–04:00 Europe\/Berlin\)/)
    expect(refusals({ policy: berlin, now: new Date('2026-11-27T02:30:00Z') })).toEqual([])
    const overnight = policy({ windows: [{ days: ['thu'], start: '22:00', end: '04:00', timeZone: 'UTC' }] })
    expect(refusals({ policy: overnight })).toEqual([]) // Friday 03:00 belongs to Thursday's window
    expect(refusals({ policy: overnight, now: new Date('2026-11-28T03:00:00Z') })).toHaveLength(1) // Saturday 03:00: Friday's, not allowed
  })

  it('restricts branches with globs, and refuses when the branch is unknown', () => {
    expect(branchMatches('release/*', 'release/1.2')).toBe(true)
    expect(branchMatches('release/*', 'release/1.2/hotfix')).toBe(false)
    expect(branchMatches('release/**', 'release/1.2/hotfix')).toBe(true)
    expect(branchMatches('main', 'main2')).toBe(false)
    expect(refusals({ policy: policy({ branches: ['release/*'] }), branch: 'feature/x' })[0]).toMatch(/^ADMISSION_BRANCH: branch feature\/x matches none of release\/\*/)
    expect(refusals({ policy: policy({ branches: ['main'] }), branch: undefined })[0]).toMatch(/^ADMISSION_BRANCH: the branch is unknown/)
  })

  it('leaves approvals pending until looked up, then counts only approvers who qualify', () => {
    const needTwo = policy({ approvals: { users: ['alice', 'bob'], teams: ['sre'], count: 2 } })
    expect(admit(input({ policy: needTwo }))).toMatchObject({ admitted: true, pending: true })
    const alice = { login: 'alice', via: 'review of #3', counts: '@alice' }
    expect(refusals({ policy: needTwo, approvals: { approvers: [alice, { login: 'mallory', via: 'review of #3' }], notes: [] } })[0]).toBe(
      'ADMISSION_APPROVALS: 1 of 2 required approval(s) from @alice, @bob, team sre (approved by @alice (review of #3, counts as @alice); @mallory (review of #3, not a required approver)) — ' +
        'get an approving review on the PR\'s latest commit from @alice, @bob, team sre, or change chaos.admission.staging.approvals'
    )
    expect(refusals({ policy: needTwo, approvals: { approvers: [alice, { login: 'carol', via: 'review of #3', counts: 'team acme/sre' }], notes: [] } })).toEqual([])
    expect(refusals({ policy: needTwo, approvals: { failed: 'GITHUB_TOKEN is not set', fix: 'set it' } })[0]).toBe(
      'ADMISSION_APPROVALS: 2 approval(s) from @alice, @bob, team sre are required, and they could not be checked: GITHUB_TOKEN is not set — set it')
  })
})

describe('chaos targets', () => {
  it('reads Chaos Mesh selectors the way the webhook defaults them', () => {
    const t = chaosMeshTarget({ kind: 'NetworkChaos', metadata: { name: 'n', namespace: 'chaos' }, spec: { mode: 'fixed-percent', value: '25', selector: {}, target: { selector: { namespaces: ['db'] } } } })
    expect(t).toMatchObject({ namespace: 'chaos', targetNamespaces: ['chaos', 'db'], mode: 'fixed-percent', value: 25 })
    expect(() => chaosMeshTarget({ kind: 'Schedule', spec: {} })).toThrow(/Schedule is not supported/)
    expect(() => chaosMeshTarget({ kind: 'PodChaos', spec: { mode: 'some' } })).toThrow('spec.mode: expected one of one, all, fixed, fixed-percent, random-max-percent, got "some"')
  })

  const reference = path.resolve(import.meta.dirname, '../../../shared/reference')
  const haveReference = existsSync(reference)
  if (!haveReference) console.warn(`skip notice: ${path.relative(process.cwd(), reference)} is absent; the reference-object target tests are skipped`)
  it.runIf(haveReference)('reads the upstream example objects', () => {
    const docs = (file: string) => parseAllDocuments(readFileSync(path.join(reference, file), 'utf8')).map((d) => d.toJS() as ChaosManifest)
    const network = docs('chaos-mesh/examples/networkchaos-lifecycle.constructed.yaml').find((d) => d.kind === 'NetworkChaos')!
    expect(chaosMeshTarget(network)).toMatchObject({ kind: 'NetworkChaos', namespace: 'shop', targetNamespaces: ['shop'], mode: 'fixed-percent', value: 50, duration: '2m' })
    const time = docs('chaos-mesh/examples/timechaos-duration-exceeded.issue3127.yaml').find((d) => d.kind === 'TimeChaos')!
    expect(chaosMeshTarget(time)).toMatchObject({ mode: 'one', value: undefined, targetNamespaces: ['xlgao'], duration: '10s' })
    const engine = docs('litmus/examples/chaosengine-completed-pass.constructed.yaml').find((d) => d.kind === 'ChaosEngine')!
    expect(litmusTarget(engine)).toMatchObject({ kind: 'ChaosEngine', targetNamespaces: ['shop'], mode: 'fixed-percent', value: 50, duration: '60s' })
  })
})
