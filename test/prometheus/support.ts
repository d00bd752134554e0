/** Shared setup for the Prometheus client suites: the backfilled canary fixture on a real server. */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { backfillOpenMetrics, startPrometheus, type PrometheusOptions, type ServerProcess } from '../infra/prometheus/harness.js'
import { fixtureOpenMetrics } from './fixture.js'

export async function startFixturePrometheus(options: Omit<PrometheusOptions, 'blocksDir'> = {}): Promise<ServerProcess> {
  const blocks = await backfillOpenMetrics(fixtureOpenMetrics())
  try {
    return await startPrometheus({ ...options, blocksDir: blocks })
  } finally {
    await rm(path.dirname(blocks), { recursive: true, force: true })
  }
}

/** Fast retries so fault tests take milliseconds; jitter and doubling still apply. */
export const FAST_RETRY = { retries: 3, initialDelayMs: 5, maxDelayMs: 20 }

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected the call to fail, but it succeeded')
}
