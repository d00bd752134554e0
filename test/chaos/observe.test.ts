import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { observeChaosMesh } from '../../src/chaos/drivers/chaos-mesh.js'
import { judgeResult, observeLitmus } from '../../src/chaos/drivers/litmus.js'
import type { KubeObject } from '../../src/kube/index.js'
import { sharedReferenceDir } from '../infra/kube/test-cluster.js'
import { referenceObjects } from '../kube/reference-objects.js'

const exists = fs.existsSync(sharedReferenceDir)
if (!exists) console.warn('[chaos] skipping the reference-object tests: ../shared/reference is absent')

/** The snapshots in the reference files are partial (metadata on the first only): complete them from the first. */
function snapshots(file: string): KubeObject[] {
  const [first, ...rest] = referenceObjects(file)
  return [first!, ...rest.map((s) => ({ ...first!, ...s, metadata: { ...first!.metadata, ...s.metadata } }))]
}

function withConditionsReversed(object: KubeObject): KubeObject {
  const copy = structuredClone(object)
  const status = copy.status as { conditions?: unknown[] }
  status.conditions?.reverse()
  return copy
}

describe.skipIf(!exists)('reading Chaos Mesh status the way the controller writes it', () => {
  it('follows the NetworkChaos lifecycle: injected, failing to inject one target, recovered after the duration', () => {
    const [injected, failing, recovered] = snapshots('chaos-mesh/examples/networkchaos-lifecycle.constructed.yaml')
    expect(observeChaosMesh(injected!)).toMatchObject({ phase: 'AllInjected', selected: true, injected: true })
    expect(observeChaosMesh(injected!).outcome).toBeUndefined()
    // One record is "Not Injected/Wait" with a Failed/Apply event: not injected, the reason surfaced.
    expect(observeChaosMesh(failing!)).toMatchObject({ phase: 'InjectFailed', injected: false, detail: expect.stringContaining('example error text from chaos-daemon') })
    expect(observeChaosMesh(recovered!)).toMatchObject({ phase: 'AllRecovered', outcome: 'pass', detail: expect.stringContaining('injected 1 recovered 1') })
  })

  it('gives the same answer whatever order the conditions come in', () => {
    for (const snapshot of snapshots('chaos-mesh/examples/networkchaos-lifecycle.constructed.yaml'))
      expect(observeChaosMesh(withConditionsReversed(snapshot))).toEqual(observeChaosMesh(snapshot))
  })

  it('treats a finished experiment that never injected anything as a failure, not a pass', () => {
    const [, , recovered] = snapshots('chaos-mesh/examples/networkchaos-lifecycle.constructed.yaml')
    const neverInjected = structuredClone(recovered!)
    const record = (neverInjected.status as { experiment: { containerRecords: { injectedCount: number; recoveredCount: number }[] } }).experiment.containerRecords[0]!
    record.injectedCount = 0
    record.recoveredCount = 0
    expect(observeChaosMesh(neverInjected)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('not every record was ever injected') })
    // Records nil: Selected=False, "no target has been selected".
    const none = { ...recovered!, status: { conditions: [{ type: 'Selected', status: 'False' }], experiment: { desiredPhase: 'Stop', containerRecords: null } } }
    expect(observeChaosMesh(none)).toMatchObject({ phase: 'NotSelected', selected: false, injected: false })
    expect(observeChaosMesh(none).outcome).toBeUndefined()
  })

  it('calls a one-shot pod-kill done once injected and a finished StressChaos recovered — only with injection counts (issue 3316)', () => {
    const objects = referenceObjects('chaos-mesh/examples/finished-podkill-and-stresschaos.issue3316.yaml')
    const podKill = objects.find((o) => o.kind === 'PodChaos')!
    const stress = objects.find((o) => o.kind === 'StressChaos')!
    // As posted (before injectedCount existed) nothing proves a target was ever hit: no pass.
    expect(observeChaosMesh(podKill).outcome).toBeUndefined()
    expect(observeChaosMesh(stress).outcome).toBe('fail')
    const withCounts = (o: KubeObject, injected: number, recovered: number) => {
      const copy = structuredClone(o)
      for (const r of (copy.status as { experiment: { containerRecords: Record<string, unknown>[] } }).experiment.containerRecords)
        Object.assign(r, { injectedCount: injected, recoveredCount: recovered })
      return copy
    }
    expect(observeChaosMesh(withCounts(podKill, 1, 0))).toMatchObject({ outcome: 'pass', phase: 'AllInjected', detail: expect.stringContaining('one-shot pod-kill') })
    expect(observeChaosMesh(withCounts(stress, 1, 1))).toMatchObject({ outcome: 'pass', phase: 'AllRecovered' })
  })
})

describe.skipIf(!exists)('reading Litmus results the way litmus-go writes them', () => {
  const [engine, result] = referenceObjects('litmus/examples/chaosengine-completed-pass.constructed.yaml')
  const variants = referenceObjects('litmus/examples/chaosresult-terminal-variants.constructed.yaml')
  const labelled = (r: KubeObject, name: string): KubeObject => ({ ...r, metadata: { ...r.metadata, name, labels: { chaosUID: engine!.metadata.uid! } } })

  it('passes a Completed/Pass result of this engine', () => {
    const results = new Map([[result!.metadata.name, result!]])
    expect(observeLitmus(engine!, results, ['pod-delete'], false)).toMatchObject({ outcome: 'pass', phase: 'Completed' })
  })

  it('ignores a result of the same name written for another engine (chaosUID differs)', () => {
    const stale = { ...result!, metadata: { ...result!.metadata, labels: { chaosUID: 'an-earlier-run' } } }
    const observation = observeLitmus(engine!, new Map([[stale.metadata.name, stale]]), ['pod-delete'], false)
    expect(observation.outcome).not.toBe('pass')
    expect(observation.detail).toContain('no ChaosResult of this engine yet')
  })

  it('maps every terminal variant: probe failure and stopOnFailure fail, TARGET_SELECTION_ERROR fails, Running waits', () => {
    const [probeFailure, stoppedByProbe, error, running] = variants.map((v) => labelled(v, 'gate-1234-pod-delete'))
    expect(judgeResult(probeFailure!, false)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('error-rate-slo (promProbe, Continuous): example comparator failure text') })
    // Stopped with a failed probe is the hypothesis failing, even when we had asked to stop.
    expect(judgeResult(stoppedByProbe!, true)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('stopped by failed probe') })
    expect(judgeResult(error!, false)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('nothing was selected (TARGET_SELECTION_ERROR') })
    expect(judgeResult(running!, false).outcome).toBeUndefined()
    const otherError = structuredClone(error!)
    ;(otherError.status as { experimentStatus: { errorOutput: { errorCode: string } } }).experimentStatus.errorOutput.errorCode = 'CHAOS_INJECT_ERROR'
    expect(judgeResult(otherError, false).outcome).toBe('error')
  })

  it('tells our abort from someone else\'s: Stopped without failed probes', () => {
    const [, stoppedByProbe] = variants
    const aborted = structuredClone(stoppedByProbe!)
    ;(aborted.status as { probeStatuses: { status: { verdict: string } }[] }).probeStatuses[0]!.status.verdict = 'N/A'
    expect(judgeResult(aborted, true)).toMatchObject({ outcome: 'stopped', detail: expect.stringContaining('stopped at our request') })
    expect(judgeResult(aborted, false)).toMatchObject({ outcome: 'stopped', detail: expect.stringContaining('stopped by someone else') })
  })

  it('reports an engine that completed while its result is still Awaited as an error', () => {
    const [, , , running] = variants.map((v) => labelled(v, 'gate-1234-pod-delete'))
    const observation = observeLitmus(engine!, new Map([['gate-1234-pod-delete', running!]]), ['pod-delete'], false)
    expect(observation).toMatchObject({ outcome: 'error', detail: expect.stringContaining('the engine finished but a result is still undecided') })
  })
})
