/**
 * Never left behind: everything a run created carries its run id label, so a later process (the
 * action's post step, `release-gate cleanup --run-id ID`) can find and delete it even after the run
 * was killed without a chance to clean up.
 */
import type { KubeClient } from '../kube/index.js'
import { RUN_ID_LABEL, type ChaosDriver, type CleanupResult } from './drivers/index.js'

export interface RunCleanup {
  results: CleanupResult[]
  /** Namespaces and types that could not be listed or deleted, with the API server's reason. */
  errors: string[]
}

/** Deletes every object labelled with the run id, of every type the drivers create, in these namespaces. */
export async function cleanupRun(client: KubeClient, drivers: readonly ChaosDriver[], namespaces: readonly string[], runId: string,
  timeoutMs: number): Promise<RunCleanup> {
  const results: CleanupResult[] = []
  const errors: string[] = []
  const jobs: Promise<void>[] = []
  for (const driver of drivers)
    for (const type of driver.resourceTypes)
      for (const namespace of namespaces)
        jobs.push((async () => {
          let names: { name: string; kind: string }[]
          try {
            const list = await client.list(type, namespace, { labelSelector: `${RUN_ID_LABEL}=${runId}` })
            names = list.items.map((item) => ({ name: item.metadata.name, kind: item.kind }))
          } catch (error) {
            errors.push((error as Error).message)
            return
          }
          await Promise.all(names.map(async ({ name, kind }) => {
            try {
              results.push(await driver.cleanup(client, { type, kind, namespace, name }, timeoutMs))
            } catch (error) {
              errors.push((error as Error).message)
            }
          }))
        })())
  await Promise.all(jobs)
  return { results, errors }
}
