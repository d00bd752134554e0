import type { StageContext, StageOutput } from '../pipeline.js'

/** The abort patch the kubectl plugin sends, on the /status subresource (main resource on 404). */
export const ABORT_PATCH = { status: { abort: true } } as const

/** Dry run: which rollout, what the run waits for, and what each verdict would patch. */
export function planRollout({ config, options }: StageContext): StageOutput {
  const rollout = config!.rollout!
  const target = `rollouts.argoproj.io/${rollout.name} in namespace ${rollout.namespace}`
  const plan = {
    target,
    wait: `until paused at a step (timeout ${rollout.waitTimeout})`,
    onPass: rollout.promoteFull
      ? 'promote --full: {"status":{"promoteFull":true}} on /status, plus {"spec":{"paused":false}} when spec.paused'
      : 'promote: the plugin\'s patches for the live object (clear pauseConditions, or advance currentStepIndex), on /status',
    onFail: `abort: ${JSON.stringify(ABORT_PATCH)} on /status`,
    onInconclusive: rollout.onInconclusive === 'hold' ? 'hold: leave the rollout paused, exit 3' : `abort: ${JSON.stringify(ABORT_PATCH)} on /status, exit 3`,
    check: `${rollout.check.type} "${rollout.check.name}" on the released commit: success only on promote`
  }
  return {
    result: {
      stage: 'rollout',
      verdict: 'skipped',
      summary: `dry run: would wait for ${target} to pause, then promote on pass, abort on fail, ${rollout.onInconclusive} on inconclusive`,
      findings: [],
      details: Object.entries(plan).map(([k, v]) => `${k}: ${v}`),
      evidence: { plan, runId: options.runId }
    }
  }
}
