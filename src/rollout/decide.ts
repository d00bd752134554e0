import type { Verdict } from '../report/findings.js'

/**
 * What the rollout stage does with the verdict of the stages before it. The only path to promote is a pass;
 * an inconclusive verdict, a skipped run (nothing checked the release) or an error never promotes.
 */
export type RolloutDecision =
  | { action: 'promote'; full: boolean; reason: string }
  | { action: 'abort'; reason: string }
  | { action: 'hold'; reason: string }

export interface DecisionInput {
  /** The worst verdict of the stages that ran before the rollout stage. */
  upstream: Verdict
  onInconclusive: 'hold' | 'abort'
  promoteFull: boolean
}

export function decideRollout(input: DecisionInput): RolloutDecision {
  switch (input.upstream) {
    case 'pass':
      return { action: 'promote', full: input.promoteFull, reason: 'every stage before the rollout passed' }
    case 'fail':
      return { action: 'abort', reason: 'a stage before the rollout failed' }
    case 'inconclusive':
      return input.onInconclusive === 'abort'
        ? { action: 'abort', reason: 'a stage before the rollout was inconclusive and rollout.onInconclusive is abort' }
        : { action: 'hold', reason: 'a stage before the rollout was inconclusive; rollout.onInconclusive is hold: the rollout stays paused' }
    case 'skipped':
      return { action: 'hold', reason: 'no stage before the rollout checked the release (all skipped): nothing justifies a promotion' }
  }
}

/**
 * The stage's verdict for a decision carried out: pass only for a promotion, fail for an abort caused by a
 * failure, inconclusive otherwise (held, or aborted because undecided).
 */
export function verdictOf(decision: RolloutDecision, upstream: Verdict): Verdict {
  if (decision.action === 'promote') return 'pass'
  if (decision.action === 'abort' && upstream === 'fail') return 'fail'
  return 'inconclusive'
}
