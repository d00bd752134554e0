import * as core from '@actions/core'
import { STATE_RUN_ID } from './main.js'

/**
 * The post step runs even when the job was cancelled or the main step crashed. It cleans up what
 * its run created; cleanup failures are warnings, never a failed job.
 */
export async function post(): Promise<void> {
  const runId = core.getState(STATE_RUN_ID)
  if (!runId) {
    core.info('release-gate post: the main step recorded no run, nothing to clean up')
    return
  }
  try {
    // This version's chaos stage only plans, so a run never leaves cluster objects behind.
    core.info(`release-gate post: run ${runId} created no cluster objects, nothing to clean up`)
  } catch (err) {
    core.warning(`release-gate post: cleanup of run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`)
  }
}
