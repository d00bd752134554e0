/**
 * Marks each experiment on Grafana: one region annotation from injection to deletion, tagged
 * `chaos_injected`, through Grafana's HTTP API (POST /api/annotations, a service-account token as
 * Bearer). Best effort: a failure is reported as a warning and never changes a verdict, and the
 * token is masked everywhere (core.setSecret in GitHub Actions, redacted from any message).
 */
import * as core from '@actions/core'
import { parseDuration } from '../config/duration.js'
import { proxyAwareFetch } from '../github/octokit.js'
import type { Config } from '../config/schema.js'
import { RequestAuth } from '../prometheus/auth.js'
import type { LoadedExperiment } from './experiment.js'
import { blastRadius, objectName } from './report.js'
import type { RunOutcome, RunTimes } from './run.js'

export type GrafanaConfig = NonNullable<NonNullable<Config['chaos']>['grafana']>

export interface ExperimentAnnotation {
  experiment: string
  kind: string
  /** "ns/name → ns1, ns2; blast radius fixed 1" */
  target: string
  verdict: string
  reason: string
  /** Epoch ms: injection first observed (else creation). */
  startMs: number
  /** Epoch ms: the object gone. */
  endMs: number
}

/** What was sent (never the token) and how Grafana answered. */
export type AnnotationResult =
  | { ok: true; id?: number; time: number; timeEnd: number; tags: string[]; dashboardUID?: string }
  | { ok: false; error: string; help: string }

export interface GrafanaContext {
  /** Base for a token file path. */
  baseDir: string
  env: NodeJS.ProcessEnv
}

/** Grafana shows the text in a tooltip; a long guard reason is cut, the JSON report has it whole. */
const MAX_REASON_CHARS = 300

export async function annotateExperiment(grafana: GrafanaConfig, annotation: ExperimentAnnotation, ctx: GrafanaContext): Promise<AnnotationResult> {
  const onSecret = ctx.env.GITHUB_ACTIONS === 'true' ? (value: string) => core.setSecret(value) : undefined
  const auth = new RequestAuth({}, { cwd: ctx.baseDir, env: ctx.env, ...(onSecret ? { onSecret } : {}) })
  const fail = (error: string, help: string): AnnotationResult => ({ ok: false, error: auth.redactor.redact(error), help })
  let token: string
  try {
    token = await auth.readSecret(grafana.token, 'chaos.grafana.token')
  } catch (error) {
    return fail((error as Error).message, 'set the variable or file that chaos.grafana.token names to a Grafana service-account token')
  }
  const tags = [...new Set(['chaos_injected', 'release-gate', `experiment:${annotation.experiment}`, `verdict:${annotation.verdict}`, ...grafana.tags])]
  const reason = annotation.reason.length > MAX_REASON_CHARS ? `${annotation.reason.slice(0, MAX_REASON_CHARS - 1)}…` : annotation.reason
  const body = {
    time: annotation.startMs,
    timeEnd: annotation.endMs,
    tags,
    text: `chaos experiment ${annotation.experiment}: ${annotation.kind} ${annotation.target} — ${annotation.verdict.toUpperCase()}: ${reason}`,
    ...(grafana.dashboardUID !== undefined ? { dashboardUID: grafana.dashboardUID } : {}),
  }
  // Relative to the base URL, so a Grafana served under a sub-path (/grafana/) keeps it.
  const url = new URL('api/annotations', grafana.url.endsWith('/') ? grafana.url : `${grafana.url}/`)
  let response: Response
  try {
    response = await proxyAwareFetch(url.href)(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(parseDuration(grafana.timeout)),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${grafana.timeout}` : [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ')
    return fail(`could not reach Grafana at ${url.href}: ${why}`, 'check chaos.grafana.url and that the runner can reach it')
  }
  const text = await response.text().catch(() => '')
  const answer = parseJson(text)
  if (!response.ok) {
    const message = typeof answer?.message === 'string' ? answer.message : text.slice(0, 200)
    return fail(`Grafana refused the annotation: ${response.status} ${response.statusText}${message ? `: ${message}` : ''}`, helpFor(response.status))
  }
  return { ok: true, ...(typeof answer?.id === 'number' ? { id: answer.id } : {}), time: body.time, timeEnd: body.timeEnd, tags, ...(body.dashboardUID !== undefined ? { dashboardUID: body.dashboardUID } : {}) }
}

function helpFor(status: number): string {
  switch (status) {
    case 401:
      return 'Grafana did not accept the token: check that chaos.grafana.token holds a valid service-account token'
    case 403:
      return "the token's service account may not create annotations: give it the Editor role or the annotations:create permission"
    case 404:
      return 'no annotations API there, or no such dashboard: check chaos.grafana.url (the base URL, with any sub-path) and dashboardUID'
    default:
      return 'see the message from Grafana; the experiment itself is unaffected'
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The annotation of one created experiment: from injection (else creation) until it was gone. */
export function annotationOf(experiment: LoadedExperiment, outcome: RunOutcome, times: RunTimes): ExperimentAnnotation {
  const t = experiment.target
  return {
    experiment: experiment.config.name,
    kind: t.kind,
    target: `${objectName(experiment, outcome)} → ${t.targetNamespaces.join(', ')}, blast radius ${blastRadius(experiment)}`,
    verdict: outcome.verdict,
    reason: outcome.reason,
    startMs: times.injected ?? outcome.handle?.createdAt ?? times.started,
    endMs: times.gone,
  }
}
