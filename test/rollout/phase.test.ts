import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { decideRollout, verdictOf } from '../../src/rollout/decide.js'
import { calculateRolloutPhase, getRolloutPhase, rolloutState, type Rollout } from '../../src/rollout/phase.js'
import { repoRoot } from '../infra/kube/cluster.js'

const examplesDir = path.resolve(repoRoot, '../shared/reference/argo-rollouts/examples')
const haveExamples = fs.existsSync(examplesDir)
if (!haveExamples) console.warn(`[rollout] skipping the reference-example phase tests: ${path.relative(repoRoot, examplesDir)} is absent`)

const load = (file: string) => YAML.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as Rollout

// The phase/message the reference README lists for each file (derived from GetRolloutPhase; the aborted one
// is asserted upstream in info_test.go).
const EXPECTED: Record<string, { phase: string; message: string }> = {
  'rollout-canary-paused-at-step.yaml': { phase: 'Paused', message: 'CanaryPauseStep' },
  'rollout-canary-aborted.yaml': { phase: 'Degraded', message: 'RolloutAborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)' },
  'rollout-canary-healthy-completed.yaml': { phase: 'Healthy', message: '' },
  'rollout-bluegreen-paused-awaiting-promotion.yaml': { phase: 'Paused', message: 'BlueGreenPause' },
  'rollout-canary-inconclusive-paused-and-timed-out.yaml': {
    phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "rollout-experiment-analysis-6f646bf7b7" has timed out progressing.'
  },
  'rollout-canary-unpausing-after-pause-cleared.yaml': { phase: 'Progressing', message: 'waiting for rollout to unpause' }
}

describe.skipIf(!haveExamples)('GetRolloutPhase on every reference Rollout', () => {
  it('covers every Rollout file in the examples folder', () => {
    const rollouts = fs.readdirSync(examplesDir).filter((f) => load(f).kind === 'Rollout').sort()
    expect(rollouts).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(Object.entries(EXPECTED))('%s → %o', (file, expected) => {
    expect(getRolloutPhase(load(file))).toEqual(expected)
  })

  it('classifies the states a gate acts on', () => {
    const paused = rolloutState(load('rollout-canary-paused-at-step.yaml'))
    expect(paused).toMatchObject({ waitingForPromotion: true, indefinitePause: true, pauseReasons: ['CanaryPauseStep'], stepIndex: 1, stepCount: 8, aborted: false, completed: false })
    expect(rolloutState(load('rollout-bluegreen-paused-awaiting-promotion.yaml'))).toMatchObject({ strategy: 'blueGreen', waitingForPromotion: true, indefinitePause: false })
    expect(rolloutState(load('rollout-canary-aborted.yaml'))).toMatchObject({ phase: 'Degraded', aborted: true, abortRequested: true, completed: false, waitingForPromotion: false })
    expect(rolloutState(load('rollout-canary-healthy-completed.yaml'))).toMatchObject({ completed: true, stepIndex: 2, stepCount: 2, waitingForPromotion: false })
    // Degraded wins over the inconclusive pause: nobody should promote a rollout that timed out.
    expect(rolloutState(load('rollout-canary-inconclusive-paused-and-timed-out.yaml'))).toMatchObject({ pauseReasons: ['InconclusiveAnalysisRun'], waitingForPromotion: false })
    expect(rolloutState(load('rollout-canary-unpausing-after-pause-cleared.yaml'))).toMatchObject({ phase: 'Progressing', waitingForPromotion: false })
  })

  it('falls back to the client-side calculation only when status.phase is absent, after the generation check', () => {
    const paused = load('rollout-canary-paused-at-step.yaml')
    expect(getRolloutPhase({ ...paused, metadata: { ...paused.metadata, generation: 6 } })).toEqual({ phase: 'Progressing', message: 'waiting for rollout spec update to be observed' })
    // A v0.9 hash in observedGeneration never blocks.
    expect(getRolloutPhase({ ...paused, status: { ...paused.status, observedGeneration: '7d5979db69' } })).toEqual({ phase: 'Paused', message: 'CanaryPauseStep' })
    const { phase: _phase, message: _message, ...v010 } = paused.status!
    expect(getRolloutPhase({ ...paused, status: v010 })).toEqual({ phase: 'Paused', message: 'CanaryPauseStep' })
  })
})

describe('CalculateRolloutPhase branches', () => {
  const canary = { replicas: 2, strategy: { canary: { steps: [{ pause: {} }] } } }
  const settled = { replicas: 2, updatedReplicas: 2, availableReplicas: 2, stableRS: 'a', currentPodHash: 'a' }
  it.each([
    ['InvalidSpec first', canary, { ...settled, conditions: [{ type: 'InvalidSpec', status: 'True', message: 'bad' }] }, 'Degraded', 'InvalidSpec: bad'],
    ['manual pause', { ...canary, paused: true }, { ...settled, pauseConditions: [{ reason: 'CanaryPauseStep' }] }, 'Paused', 'manually paused'],
    ['restart pending', { ...canary, restartAt: '2025-01-01T00:00:00Z' }, settled, 'Progressing', 'rollout is restarting'],
    ['restart done (same instant, other format)', { ...canary, restartAt: '2025-01-01T00:00:00Z' }, { ...settled, restartedAt: '2025-01-01T00:00:00.000Z' }, 'Healthy', ''],
    ['replicas to update', canary, { ...settled, updatedReplicas: 1 }, 'Progressing', 'more replicas need to be updated'],
    ['replicas becoming available', canary, { ...settled, availableReplicas: 1 }, 'Progressing', 'updated replicas are still becoming available'],
    ['old replicas', canary, { ...settled, replicas: 3 }, 'Progressing', 'old replicas are pending termination'],
    ['steps pending', canary, { ...settled, currentPodHash: 'b' }, 'Progressing', 'waiting for all steps to complete'],
    ['blue-green cutover', { replicas: 2, strategy: { blueGreen: {} } }, { ...settled, blueGreen: { activeSelector: 'x' } }, 'Progressing', 'active service cutover pending'],
    ['blue-green post-promotion analysis', { replicas: 2, strategy: { blueGreen: { postPromotionAnalysis: {} } } }, { ...settled, stableRS: 'x', blueGreen: { activeSelector: 'a' } }, 'Progressing', 'waiting for analysis to complete'],
    ['healthy', canary, settled, 'Healthy', '']
  ] as const)('%s', (_name, spec, status, phase, message) => {
    expect(calculateRolloutPhase(spec as never, status as never)).toEqual({ phase, message })
  })
})

describe('the decision: promote only on pass', () => {
  it.each([
    ['pass', 'hold', 'promote', 'pass'],
    ['fail', 'hold', 'abort', 'fail'],
    ['inconclusive', 'hold', 'hold', 'inconclusive'],
    ['inconclusive', 'abort', 'abort', 'inconclusive'],
    ['skipped', 'abort', 'hold', 'inconclusive']
  ] as const)('upstream %s with onInconclusive %s → %s (stage verdict %s)', (upstream, onInconclusive, action, verdict) => {
    const decision = decideRollout({ upstream, onInconclusive, promoteFull: true })
    expect(decision.action).toBe(action)
    expect(verdictOf(decision, upstream)).toBe(verdict)
  })
})
