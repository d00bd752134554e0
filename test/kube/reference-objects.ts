import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import type { KubeObject } from '../../src/kube/index.js'
import { sharedReferenceDir } from '../infra/kube/test-cluster.js'

/** The documents of an example file under ../shared/reference. */
export function referenceObjects(relativePath: string): KubeObject[] {
  const text = fs.readFileSync(path.join(sharedReferenceDir, relativePath), 'utf8')
  return YAML.parseAllDocuments(text).map((doc) => doc.toJS() as KubeObject)
}

/**
 * The example as a client would create it: in `namespace`, without the fields the server owns, and split
 * into the object to create and the status to write afterwards.
 */
export function asNewObject(example: KubeObject, namespace: string): { object: KubeObject; status: unknown } {
  const { status, ...rest } = structuredClone(example)
  const { name, labels, annotations } = rest.metadata
  const object: KubeObject = {
    ...rest,
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
  }
  return { object, status }
}
