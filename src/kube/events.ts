/**
 * Reads the core/v1 Events recorded about one object: what its controller said while acting on it
 * (Chaos Mesh: Warning `Failed` "Failed to select targets: ..."). Events outlive the object (they
 * expire by TTL, about an hour), so they can be read after it was deleted.
 */
import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node'
import type { KubeClient } from './client.js'
import { toKubeApiError } from './errors.js'

export interface InvolvedObject {
  namespace: string
  name: string
  /** Narrows to this incarnation of the name; an earlier object of the same name is left out. */
  uid?: string
  /** Shown with its events when they are reported next to another object's. */
  kind?: string
}

export interface KubeEvent {
  type: string
  reason: string
  message: string
  /** How many times the recorder folded this same event into one. */
  count: number
  /** ISO time the event was last seen. */
  lastSeen: string
  /** The component that recorded it (source.component, or reportingController for newer recorders). */
  from: string
  /** "ChaosResult/name" for an event about a related object rather than the chaos object itself. */
  about?: string
}

/** Every event about the object, oldest first. Throws a KubeApiError (403 when the Role lacks list on events). */
export async function listEventsFor(client: KubeClient, involved: InvolvedObject): Promise<KubeEvent[]> {
  const fieldSelector = [`involvedObject.name=${involved.name}`, `involvedObject.namespace=${involved.namespace}`,
    ...(involved.uid ? [`involvedObject.uid=${involved.uid}`] : [])].join(',')
  let items: CoreV1Event[]
  try {
    items = (await client.kubeConfig.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: involved.namespace, fieldSelector })).items
  } catch (error) {
    throw toKubeApiError({ verb: 'list', group: '', plural: 'events', namespace: involved.namespace }, error)
  }
  return items
    .map((e): KubeEvent => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
      lastSeen: isoOf(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp),
      from: e.source?.component ?? e.reportingComponent ?? '',
    }))
    .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))
}

function isoOf(time: Date | string | undefined): string {
  if (time === undefined) return ''
  return time instanceof Date ? time.toISOString() : new Date(time).toISOString()
}
