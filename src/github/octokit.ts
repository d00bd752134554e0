import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { HttpClient } from '@actions/http-client'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { fetch as undiciFetch } from 'undici'

export const DEFAULT_API_URL = 'https://api.github.com'

/**
 * Statuses the retry plugin must not retry: client errors that a retry cannot fix, and 429, which
 * the throttling plugin owns (it waits for the reset instead of backing off blindly).
 */
export const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

/** How often the throttling callbacks ask for another try after a rate limit. */
export const RATE_LIMIT_RETRIES = 2

/** Where the GitHub layer writes what it has to say; the action uses @actions/core. */
export interface GitHubLog {
  debug(message: string): void
  info(message: string): void
  /** Something a person should read, shown as a notice annotation in Actions. */
  notice(message: string): void
  warning(message: string): void
}

export const actionsLog: GitHubLog = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  notice: (m) => core.notice(m),
  warning: (m) => core.warning(m)
}

export interface GitHubClientOptions {
  /** REST root; defaults to GITHUB_API_URL (GHES sets it to https://host/api/v3), then api.github.com. */
  baseUrl?: string
  log?: GitHubLog
  /**
   * Milliseconds per second of a Retry-After or backoff wait (default 1000). Tests against a
   * loopback server shrink it so a rate-limit or 5xx retry costs milliseconds, not seconds.
   */
  msPerRetrySecond?: number
  /**
   * Space writes one second apart (three for notification-triggering writes such as comments), as
   * GitHub asks of integrations to avoid secondary rate limits. Default true; only tests turn it off.
   */
  paceWrites?: boolean
  env?: NodeJS.ProcessEnv
}

export type GitHubClient = ReturnType<typeof getOctokit>

/**
 * The Octokit every GitHub call goes through: @actions/github's client (REST methods, pagination)
 * plus retry for transient 5xx and throttling for rate limits.
 */
export function githubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const env = options.env ?? process.env
  if (!token) throw new Error('no GitHub token: pass the github-token input or set GITHUB_TOKEN')
  // The mask command only means something to the Actions runner; elsewhere it would print the token.
  if (env.GITHUB_ACTIONS === 'true') core.setSecret(token)
  const log = options.log ?? actionsLog
  const baseUrl = (options.baseUrl ?? env.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '')
  const msPerSecond = options.msPerRetrySecond ?? 1000

  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    if (retryCount >= RATE_LIMIT_RETRIES) {
      log.warning(`GitHub ${kind} hit for ${request.method} ${request.url}; giving up after ${retryCount} retries`)
      return false
    }
    log.warning(`GitHub ${kind} hit for ${request.method} ${request.url}; retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES} in ${retryAfter}s`)
    return true
  }

  return getOctokit(
    token,
    {
      baseUrl,
      // @actions/github picks its proxy for GITHUB_API_URL when it is first imported; choose it for
      // the URL this client really calls, so an explicit GHES URL gets its own proxy / no_proxy decision.
      request: { fetch: proxyAwareFetch(baseUrl) },
      log: {
        debug: (m: string) => log.debug(m),
        // Octokit's info level is per-request chatter; it belongs with debug, not in the job log.
        info: (m: string) => log.debug(m),
        warn: (m: string) => log.warning(m),
        error: (m: string) => log.warning(m)
      },
      retry: { doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
        retryAfterBaseValue: msPerSecond,
        ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced } : {})
      }
    },
    retry,
    throttling
  )
}

/**
 * fetch through the proxy that https_proxy / no_proxy choose for this URL, as @actions/http-client
 * decides (native fetch ignores them). Every client without TLS options of its own sends through it.
 */
export function proxyAwareFetch(baseUrl: string): typeof fetch {
  const dispatcher = new HttpClient().getAgentDispatcher(baseUrl)
  const viaProxy = (url: string | URL | Request, init?: RequestInit) =>
    undiciFetch(url as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), ...(dispatcher ? { dispatcher } : {}) })
  return viaProxy as unknown as typeof fetch
}

/**
 * Stands in for a Bottleneck group with no spacing. The throttling plugin only calls
 * `key(id).schedule(options, fn)` on its write and notification groups.
 */
const unpaced = {
  key: () => ({ schedule: (_options: unknown, job: () => Promise<unknown>) => job() })
} as never
