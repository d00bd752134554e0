import { existsSync } from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import { execute } from '../pipeline.js'
import { readInputs } from './inputs.js'
import { STATE_RUN_ID } from './main.js'

/**
 * The post step runs even when the job was cancelled or the main step crashed. It deletes what its run
 * created (everything labelled with the saved run id); cleanup failures are warnings, never a failed job.
 */
export async function post(): Promise<void> {
  const runId = core.getState(STATE_RUN_ID)
  if (!runId) {
    core.info('release-gate post: the main step recorded no run, nothing to clean up')
    return
  }
  try {
    const { options } = readInputs()
    if (!existsSync(path.resolve(options.cwd, options.configPath))) {
      core.info(`release-gate post: no ${options.configPath}, so run ${runId} ran no chaos experiment: nothing to clean up`)
      return
    }
    const report = await execute({ name: 'cleanup' }, { ...options, runId, dryRun: false })
    for (const stage of report.stages) {
      core.info(`release-gate post: ${stage.summary}`)
      for (const line of stage.details ?? []) core.info(`  ${line}`)
      for (const finding of stage.findings) core.warning(`release-gate post: ${finding.message}`)
    }
  } catch (err) {
    core.warning(`release-gate post: cleanup of run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`)
  }
}
