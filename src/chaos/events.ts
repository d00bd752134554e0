/**
 * Why an experiment did not pass, in its controller's words: the Warning Events recorded about the
 * chaos object (Chaos Mesh: `Failed` "Failed to select targets: no target has been selected";
 * Litmus: `ChaosResourcesOperationFailed`). Reading them is best effort and never fails the run.
 */
import { KubeApiError } from '../kube/index.js'
import type { KubeClient } from '../kube/index.js'
import { listEventsFor, type InvolvedObject, type KubeEvent } from '../kube/events.js'
import type { ChaosHandle } from './drivers/index.js'

/** Enough to explain a failure without flooding the report (a crash-looping recorder can emit hundreds). */
export const MAX_WARNING_EVENTS = 10
/** An explanation is not worth holding up the end of the run for. */
const READ_TIMEOUT_MS = 5_000

export interface ExperimentEvents {
  /** The newest Warning events, oldest first. */
  warnings: KubeEvent[]
  /** Older Warning events left out by the cap. */
  omitted: number
  /** Why no events could be read (e.g. the Role lacks list on events). */
  note?: string
}

/** The Warning events about the chaos object and the related objects (`about` set on theirs), oldest first. */
async function listWarnings(client: KubeClient, handle: Pick<ChaosHandle, 'namespace' | 'name' | 'uid'>, related: InvolvedObject[]): Promise<KubeEvent[]> {
  const own = await listEventsFor(client, handle)
  const others = await Promise.all(related.map(async (o) => (await listEventsFor(client, o)).map((e) => ({ ...e, about: `${o.kind ?? 'object'}/${o.name}` }))))
  return [...own, ...others.flat()].filter((e) => e.type === 'Warning').sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))
}

export async function warningEventsOf(client: KubeClient, handle: Pick<ChaosHandle, 'namespace' | 'name' | 'uid'>,
  related: () => Promise<InvolvedObject[]>): Promise<ExperimentEvents> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS / 1000}s`)), READ_TIMEOUT_MS)
    timer.unref()
  })
  try {
    const warnings = await Promise.race([related().then((objects) => listWarnings(client, handle, objects)), timeout])
    return { warnings: warnings.slice(-MAX_WARNING_EVENTS), omitted: Math.max(0, warnings.length - MAX_WARNING_EVENTS) }
  } catch (error) {
    const note = error instanceof KubeApiError && error.isForbidden
      ? error.operation.plural === 'events'
        ? `events not read: the identity may not list events in ${handle.namespace} (add get and list on events, apiGroups [""], to its Role)`
        : `events not read: ${error.message}`
      : `events not read: ${error instanceof KubeApiError ? `${error.code || 'no response'} ${error.serverMessage}` : (error as Error).message}`
    return { warnings: [], omitted: 0, note }
  } finally {
    clearTimeout(timer)
  }
}

/** "Failed: Failed to select targets: no target has been selected (×3)", with "(on ChaosResult/x)" for a related object's. */
export function describeEvent(e: KubeEvent): string {
  return `${e.reason}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}${e.about ? ` (on ${e.about})` : ''}`
}
