/**
 * core/v1 Events as a controller's client-go recorder writes them: legacy fields, count 1, named
 * `<object>.<random hex>`. The recorder folds a repeat (same object, reason, message) into the Event
 * already written (count+1), so one of each is what a list shows and a repeat is not written again.
 */
import { randomBytes } from 'node:crypto'
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node'
import type { KubeObject } from '../../src/kube/index.js'

type RecordedEvent = { type: 'Normal' | 'Warning'; reason: string; message: string; component: string; annotations?: Record<string, string> }

/** Records Events about objects in `namespace`. */
export function eventRecorder(kubeConfig: KubeConfig, namespace: string): (object: KubeObject, event: RecordedEvent) => Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api)
  const recorded = new Set<string>()
  return async (object, { type, reason, message, component, annotations }) => {
    const key = `${object.metadata.uid}/${reason}/${message}`
    if (recorded.has(key)) return
    recorded.add(key)
    const now = new Date()
    await core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${object.metadata.name}.${randomBytes(8).toString('hex')}`, namespace, ...(annotations ? { annotations } : {}) },
        involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace, uid: object.metadata.uid!, resourceVersion: object.metadata.resourceVersion! },
        type, reason, message, count: 1, firstTimestamp: now, lastTimestamp: now,
        source: { component },
      },
    })
  }
}
