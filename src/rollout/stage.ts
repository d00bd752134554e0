import type { Command } from '../commands.js'
import { parseDuration } from '../config/duration.js'
import { environmentName } from '../config/environment.js'
import type { RolloutConfig } from '../config/schema.js'
import { UsageError } from '../errors.js'
import { publishCheckRun, publishCommitStatus } from '../github/checks.js'
import { githubToken, readEventContext } from '../github/context.js'
import { githubClient, type GitHubClient, type GitHubClientOptions, type GitHubLog } from '../github/octokit.js'
import type { PublishOutcome } from '../github/outcome.js'
import { KubeApiError, kubeClientForEnvironment, type KubeClient, ROLLOUTS } from '../kube/index.js'
import type { StageContext, StageOutput } from '../pipeline.js'
import type { Finding, Report, StageResult, Verdict } from '../report/findings.js'
import { TOOL } from '../version.js'
import {
  describeRequest, fixedPatches, requestsOf, runRolloutAction, type ActionResult, type PatchPlan, type RolloutActionName
} from './actions.js'
import { decideRollout, verdictOf, type RolloutDecision } from './decide.js'
import { describeState, isGenerationObserved, isUnpausing, rolloutState, type Rollout, type RolloutState } from './phase.js'
import { describeTarget, parseWaitTarget, waitForRollout, type WaitOutcome, type WaitTarget } from './wait.js'

/** Seams for tests and embedding; every default is the real thing. */
export interface RolloutStageDeps {
  /** Default: from the environment's kubeconfig / kubeContext (paths relative to the config file). */
  client?: KubeClient
  /**
   * How long to follow the rollout after a patch for the controller's reaction (reported as the after-state;
   * no reaction is reported, not failed). Default 10 s.
   */
  settleMs?: number
  /** Options for the GitHub client of the release check (tests: no write pacing). */
  github?: Pick<GitHubClientOptions, 'paceWrites' | 'msPerRetrySecond'>
}

/** The verdict of the stages before the rollout stage, and which they were. */
export interface Upstream {
  verdict: Verdict
  stages: { stage: string; verdict: Verdict; summary: string }[]
}

const RULES = {
  ROLLOUT_KUBE_API: { purpose: 'The rollout stage could not read or patch the Argo Rollout through the Kubernetes API.' },
  ROLLOUT_NOT_PROMOTED: { purpose: 'The rollout stage did not promote: the rollout never paused for promotion, or was aborted or completed meanwhile.' }
}

/** The pipeline's last stage: wait for the pause, then promote on pass, abort on fail, hold or abort on inconclusive. */
export async function runRolloutStage(ctx: StageContext, upstream: Upstream, deps: RolloutStageDeps = {}): Promise<StageOutput> {
  const started = Date.now()
  const config = rolloutConfig(ctx)
  const { name, namespace } = config
  const decision = decideRollout({ upstream: upstream.verdict, onInconclusive: config.onInconclusive, promoteFull: config.promoteFull })
  const details = [`decision: ${decisionText(decision)} — ${decision.reason}`]
  const evidence: Record<string, unknown> = { target: targetText(config), upstream, decision }
  const findings: Finding[] = []
  let verdict: Verdict
  let summary: string
  try {
    const client = deps.client ?? kubeClientForEnvironment(ctx.config, environmentName(ctx.config, ctx.options), ctx.baseDir)
    const before = await client.get<Rollout>(ROLLOUTS, namespace, name)
    const beforeState = rolloutState(before)
    evidence.before = stateEvidence(beforeState, before)
    details.push(`before: ${describeState(beforeState)}`)
    if (decision.action === 'hold') {
      verdict = verdictOf(decision, upstream.verdict)
      summary = `held ${name}: ${describeState(beforeState)}; not promoted`
      details.push('patches: none (the rollout is left as it is)')
    } else if (decision.action === 'abort') {
      const action = await runRolloutAction(client, namespace, name, 'abort')
      const after = await settle(client, config, action, 'abort', deps)
      recordAction(action, after, details, evidence)
      verdict = verdictOf(decision, upstream.verdict)
      summary = `aborted ${name}: ${after ? describeState(after.state) : 'abort requested'}`
    } else {
      const waitTimeoutMs = parseDuration(config.waitTimeout)
      const wait = await waitForRollout(client, namespace, name, { kind: 'paused' }, { timeoutMs: waitTimeoutMs })
      evidence.wait = waitEvidence(wait)
      details.push(`wait for a pause awaiting promotion (timeout ${config.waitTimeout}): ${wait.status} after ${wait.waitedMs} ms`)
      const argoUndecided = wait.status === 'reached' ? wait.state.pauseReasons.filter((r) => r.startsWith('Inconclusive')) : []
      if (argoUndecided.length > 0) {
        // The rollout's own analysis could not decide: a pass of our stages does not settle it for us.
        const why = `the rollout paused on its own inconclusive analysis (${argoUndecided.join(', ')}); a person decides with promote or abort`
        verdict = 'inconclusive'
        summary = `held ${name}: ${why}`
        details.push('patches: none (the rollout is left paused)')
        findings.push({ rule: 'ROLLOUT_NOT_PROMOTED', stage: 'rollout', severity: 'warning', message: `${targetText(config)}: ${why}`,
          help: 'look at the AnalysisRun, then run `release-gate rollout promote` or `release-gate rollout abort`' })
      } else if (wait.status === 'reached') {
        const actionName: RolloutActionName = decision.full ? 'promote-full' : 'promote'
        const action = await runRolloutAction(client, namespace, name, actionName)
        const after = await settle(client, config, action, actionName, deps)
        recordAction(action, after, details, evidence)
        verdict = 'pass'
        summary = `promoted ${name}${decision.full ? ' (full)' : ''}: ${after ? describeState(after.state) : 'promotion requested'}`
      } else {
        const why = notPromotedReason(wait, config.waitTimeout)
        // A rollout that aborted itself (failed analysis) refused the release on its own: that is a failure.
        verdict = wait.status === 'unreachable' && wait.state.aborted ? 'fail' : 'inconclusive'
        summary = `not promoted ${name}: ${why}`
        details.push('patches: none (nothing is promoted unless the rollout waits for promotion)')
        findings.push({ rule: 'ROLLOUT_NOT_PROMOTED', stage: 'rollout', severity: verdict === 'fail' ? 'error' : 'warning', message: `${targetText(config)}: ${why}`,
          help: 'check the rollout with `release-gate rollout status` or `kubectl argo rollouts get rollout`; rerun once it waits at a pause step' })
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error
    // The release is still refused after a failed abort; anything else undecided is inconclusive, never a pass.
    verdict = upstream.verdict === 'fail' ? 'fail' : 'inconclusive'
    summary = `could not ${decision.action} ${name}: ${errorText(error)}`
    findings.push(kubeFinding(error, config))
  }
  const result: StageResult = { stage: 'rollout', verdict, summary, findings, details, evidence, durationMs: Date.now() - started }
  const check = await publishReleaseCheck(ctx, config, result, deps)
  details.push(...check.lines)
  if (check.outcome) evidence.releaseCheck = check.outcome
  result.durationMs = Date.now() - started
  return { result, rules: RULES }
}

/** `release-gate rollout status|wait|promote|abort|retry|pause`. */
export async function runRolloutCommand(command: Extract<Command, { name: 'rollout' }>, ctx: StageContext,
  deps: RolloutStageDeps = {}): Promise<StageOutput> {
  const started = Date.now()
  const config = rolloutConfig(ctx)
  const { name, namespace } = config
  const dryRun = ctx.options.dryRun
  const target = parseTargetFor(command)
  const done = (verdict: Verdict, summary: string, details: string[], evidence: Record<string, unknown>, findings: Finding[] = []): StageOutput =>
    ({ result: { stage: 'rollout', verdict, summary, findings, details, evidence, durationMs: Date.now() - started }, rules: RULES })
  const evidence: Record<string, unknown> = { target: targetText(config), action: command.action, dryRun }

  // abort, retry and pause send constant patches: a dry run needs no cluster at all.
  if (dryRun && (command.action === 'abort' || command.action === 'retry' || command.action === 'pause')) {
    const plan = fixedPatches(command.action)
    return done('skipped', `dry run: would ${command.action} ${name}`, planLines(plan, namespace, name), { ...evidence, plan })
  }
  if (dryRun && command.action === 'wait') {
    const timeout = command.timeout ?? config.waitTimeout
    return done('skipped', `dry run: would wait until ${describeTarget(target!)} (timeout ${timeout})`, [`watch ${targetText(config)} until ${describeTarget(target!)}`], evidence)
  }
  try {
    const client = deps.client ?? kubeClientForEnvironment(ctx.config, environmentName(ctx.config, ctx.options), ctx.baseDir)
    switch (command.action) {
      case 'status': {
        const rollout = await client.get<Rollout>(ROLLOUTS, namespace, name)
        const state = rolloutState(rollout)
        // As `status --watch=false`: only Degraded is an error.
        return done(state.phase === 'Degraded' ? 'fail' : 'pass', `${name}: ${state.phase}${state.message ? ` - ${state.message}` : ''}`,
          [`state: ${describeState(state)}`], { ...evidence, state: stateEvidence(state, rollout) })
      }
      case 'wait': {
        const timeout = command.timeout ?? config.waitTimeout
        const timeoutMs = parseDurationOption(timeout, '--timeout')
        await client.get<Rollout>(ROLLOUTS, namespace, name) // a missing rollout is a 404 now, not a timeout later
        const wait = await waitForRollout(client, namespace, name, target!, { timeoutMs })
        const verdict: Verdict = wait.status === 'reached' ? 'pass' : wait.status === 'timeout' ? 'inconclusive' : 'fail'
        const summary = wait.status === 'reached'
          ? `${name} reached ${describeTarget(target!)} after ${wait.waitedMs} ms: ${describeState(wait.state)}`
          : `${name} did not reach ${describeTarget(target!)}: ${notPromotedReason(wait, timeout)}`
        return done(verdict, summary, [summary], { ...evidence, wait: waitEvidence(wait) })
      }
      default: {
        const actionName: RolloutActionName = command.action === 'promote' && command.full ? 'promote-full' : command.action
        const action = await runRolloutAction(client, namespace, name, actionName, { dryRun })
        const details: string[] = []
        if (dryRun) {
          if (action.before) details.push(`read: ${describeState(rolloutState(action.before))}`)
          details.push(...planLines(action.plan, namespace, name))
          return done('skipped', `dry run: would ${actionName} ${name}`, details, { ...evidence, plan: action.plan })
        }
        recordAction(action, undefined, details, evidence)
        const after = action.after ? rolloutState(action.after) : undefined
        if (after) details.push(`after the patch (before the controller reacts): ${describeState(after)}`)
        return done('pass', `${actionName} ${name}: ${action.sent.length} patch(es) sent${after ? `; now ${describeState(after)}` : ''}`, details, evidence)
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error
    const summary = `could not ${command.action} ${name}: ${errorText(error)}`
    return done('inconclusive', summary, [summary], evidence, [kubeFinding(error, config)])
  }
}

function parseTargetFor(command: Extract<Command, { name: 'rollout' }>): WaitTarget | undefined {
  if (command.action !== 'wait') {
    if (command.until !== undefined || command.timeout !== undefined) throw new UsageError('--until and --timeout belong to `rollout wait`')
    return undefined
  }
  return parseWaitTarget(command.until)
}

function parseDurationOption(text: string, option: string): number {
  try {
    return parseDuration(text)
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`)
  }
}

function rolloutConfig(ctx: StageContext): RolloutConfig {
  const config = ctx.config?.rollout
  if (!config) throw new UsageError('the rollout commands need a `rollout:` section (name, namespace) in the config')
  return config
}


interface Settled {
  state: RolloutState
  rollout: Rollout
  /** False when the controller had not reacted within settleMs: the state is the one the patch produced. */
  reacted: boolean
}

/** Follows the rollout briefly after the patch, so the after-state shows what the controller made of it. */
async function settle(client: KubeClient, config: RolloutConfig, action: ActionResult, actionName: RolloutActionName,
  deps: RolloutStageDeps): Promise<Settled | undefined> {
  const patched = action.after
  if (!patched) return undefined
  const settleMs = deps.settleMs ?? 10_000
  const target: WaitTarget = {
    kind: 'custom',
    description: 'the controller reacted',
    test: actionName === 'abort'
      ? (state) => state.aborted
      : (state, rollout) => isGenerationObserved(rollout) && !isUnpausing(rollout) && !(rollout.status?.promoteFull === true && !state.completed)
  }
  if (settleMs <= 0) return { state: rolloutState(patched), rollout: patched, reacted: false }
  const wait = await waitForRollout(client, config.namespace, config.name, target, { timeoutMs: settleMs })
  if (wait.status === 'reached') return { state: wait.state, rollout: wait.rollout, reacted: true }
  const last = wait.status === 'deleted' ? undefined : wait.rollout
  return { state: rolloutState(last ?? patched), rollout: last ?? patched, reacted: false }
}

function recordAction(action: ActionResult, after: Settled | undefined, details: string[], evidence: Record<string, unknown>): void {
  const namespace = action.after?.metadata.namespace ?? action.before?.metadata.namespace ?? ''
  const name = action.after?.metadata.name ?? action.before?.metadata.name ?? ''
  details.push(`patch plan (${action.plan.action}): ${action.plan.reason}`)
  for (const sent of action.sent)
    details.push(`sent: ${describeRequest(sent, namespace, name)}${sent.fallback ? ' (the /status subresource answered 404: Rollouts ≤ v0.9)' : ''}`)
  if (action.sent.length === 0) details.push('sent: nothing (the plugin sends no patch in this state)')
  if (action.conflicts > 0) details.push(`409 Conflict ${action.conflicts} time(s): the rollout changed after it was read; patches recomputed on a fresh read`)
  if (after) details.push(`after: ${describeState(after.state)}${after.reacted ? '' : ' (the controller had not reacted yet)'}`)
  evidence.plan = action.plan
  evidence.patches = action.sent
  evidence.conflicts = action.conflicts
  if (after) evidence.after = { ...stateEvidence(after.state, after.rollout), controllerReacted: after.reacted }
}

function planLines(plan: PatchPlan, namespace: string, name: string): string[] {
  const lines = [`plan (${plan.action}): ${plan.reason}`]
  const requests = requestsOf(plan)
  for (const request of requests) lines.push(`would send: ${describeRequest(request, namespace, name)}`)
  if (requests.length === 0) lines.push('would send: nothing')
  if (plan.status && plan.unified)
    lines.push(`if /status answers 404 (Rollouts ≤ v0.9): ${describeRequest({ subresource: 'main', patch: plan.unified }, namespace, name)}`)
  return lines
}

function stateEvidence(state: RolloutState, rollout: Rollout): Record<string, unknown> {
  const status = rollout.status ?? {}
  return {
    ...state,
    status: {
      phase: status.phase, message: status.message, observedGeneration: status.observedGeneration, controllerPause: status.controllerPause,
      pauseConditions: status.pauseConditions, currentStepIndex: status.currentStepIndex, abort: status.abort, abortedAt: status.abortedAt,
      promoteFull: status.promoteFull, stableRS: status.stableRS, currentPodHash: status.currentPodHash
    },
    specPaused: rollout.spec?.paused ?? false
  }
}

function waitEvidence(wait: WaitOutcome): Record<string, unknown> {
  const { status, waitedMs, events } = wait
  return { status, waitedMs, events, ...(wait.status === 'unreachable' ? { reason: wait.reason } : {}),
    ...('state' in wait && wait.state ? { state: wait.state } : {}) }
}

function notPromotedReason(wait: WaitOutcome, timeout: string): string {
  switch (wait.status) {
    case 'unreachable':
      return wait.reason
    case 'deleted':
      return 'the rollout was deleted'
    case 'timeout':
      return `not reached within ${timeout}${wait.state ? `; last seen ${describeState(wait.state)}` : ''}`
    case 'reached':
      return 'reached'
  }
}

function decisionText(decision: RolloutDecision): string {
  return decision.action === 'promote' && decision.full ? 'promote --full' : decision.action
}

function targetText(config: RolloutConfig): string {
  return `rollouts.argoproj.io/${config.name} in namespace ${config.namespace}`
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function kubeFinding(error: unknown, config: RolloutConfig): Finding {
  const forbidden = error instanceof KubeApiError && error.isForbidden
  return {
    rule: 'ROLLOUT_KUBE_API',
    stage: 'rollout',
    severity: 'error',
    message: errorText(error),
    help: forbidden
      ? `the rollout stage needs, in namespace ${config.namespace}: get, list, watch, patch on rollouts and patch on rollouts/status (apiGroups: ["argoproj.io"])`
      : 'check the kubeconfig (environments.<name>.kubeconfig / kubeContext) and that the API server is reachable'
  }
}

/** Where GitHub log lines of the release check go: the stage's details, not stdout. */
class CollectingLog implements GitHubLog {
  readonly lines: string[] = []
  debug = () => undefined
  info = (message: string) => void this.lines.push(message)
  notice = (message: string) => void this.lines.push(message)
  warning = (message: string) => void this.lines.push(message)
}

/**
 * The release check on the released commit (config rollout.check): success only when the rollout was
 * promoted, failure when aborted for a failure, error / action_required otherwise. Without a token and
 * GITHUB_REPOSITORY it says so and does nothing; a GitHub failure never changes the verdict.
 */
async function publishReleaseCheck(ctx: StageContext, config: RolloutConfig, result: StageResult,
  deps: RolloutStageDeps): Promise<{ lines: string[]; outcome?: PublishOutcome }> {
  const env = ctx.options.env
  const token = githubToken(env)
  const kind = config.check.type === 'commit-status' ? 'commit status' : 'check run'
  if (!token || !env.GITHUB_REPOSITORY)
    return { lines: [`release check: not published (no GitHub context: ${!token ? 'no GITHUB_TOKEN' : 'no GITHUB_REPOSITORY'})`] }
  let event
  try {
    event = readEventContext(env)
  } catch (error) {
    return { lines: [`release check: not published (${errorText(error)})`] }
  }
  if (!event.headSha) return { lines: ['release check: not published (no commit: GITHUB_SHA is empty)'] }
  const log = new CollectingLog()
  let octokit: GitHubClient
  try {
    octokit = githubClient(token, { baseUrl: event.apiUrl, log, env, ...deps.github })
  } catch (error) {
    return { lines: [`release check: not published (${errorText(error)})`] }
  }
  const report: Report = { tool: TOOL, verdict: result.verdict, dryRun: false, stages: [result], rules: {} }
  const target = { owner: event.owner, repo: event.repo, sha: event.headSha }
  const outcome = config.check.type === 'commit-status'
    ? await publishCommitStatus(octokit, target, report, { context: config.check.name, ...(event.runUrl ? { targetUrl: event.runUrl } : {}), log })
    : await publishCheckRun(octokit, target, report, { name: config.check.name, ...(event.runUrl ? { detailsUrl: event.runUrl } : {}), log })
  const where = `${kind} "${config.check.name}" on ${event.owner}/${event.repo}@${event.headSha.slice(0, 12)}`
  // A failed publish is already described by the log line failureOutcome wrote.
  const line = outcome.status === 'published'
    ? `release check: ${where} published (${result.verdict === 'pass' ? 'success' : `not success: ${result.verdict}`})`
    : `release check: ${where} ${outcome.status}`
  return { lines: [line, ...log.lines], outcome }
}
