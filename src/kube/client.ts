import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { toKubeApiError, type KubeOperation } from './errors.js'
import { watchCustomObjects, type ResumableWatch, type WatchHandler, type WatchOptions } from './watch.js'

/** A namespaced custom resource type, addressed the way the API paths are: /apis/GROUP/VERSION/.../PLURAL. */
export interface ResourceType {
  group: string
  version: string
  plural: string
}

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [field: string]: unknown
}

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  [field: string]: unknown
}

export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[]
  /** The collection's resourceVersion: a watch started from it sees every later change. */
  resourceVersion: string
}

export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
}

export interface PatchOptions {
  /**
   * Optimistic concurrency: the patch succeeds only if the object still has this resourceVersion, otherwise
   * the call fails with KubeApiError code 409.
   */
  resourceVersion?: string
}

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfigPath?: string
  /** A context of that kubeconfig; default: its current-context. */
  context?: string
}

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kubeConfig = new KubeConfig()
  const source = options.kubeconfigPath ?? 'the default kubeconfig ($KUBECONFIG or ~/.kube/config)'
  if (options.kubeconfigPath) kubeConfig.loadFromFile(options.kubeconfigPath)
  else {
    kubeConfig.loadFromDefault()
    // Having found nothing, client-node falls back to an unauthenticated http://localhost:8080, which it then refuses.
    const cluster = kubeConfig.getCurrentCluster()
    if (cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && kubeConfig.getClusters().length === 1) {
      throw new Error('no kubeconfig: set KUBECONFIG, create ~/.kube/config, pass a kubeconfig path, or run in a pod with a service account')
    }
  }
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name).join(', ') || 'none'
      throw new Error(`kubeconfig context "${options.context}" not found in ${source} (contexts: ${known})`)
    }
    kubeConfig.setCurrentContext(options.context)
  }
  if (!kubeConfig.getCurrentCluster()) throw new Error(`no cluster for the current context in ${source}`)
  return kubeConfig
}

/**
 * The only way release-gate talks to Kubernetes: namespaced custom objects (Rollouts, chaos experiments).
 * Every failure is a KubeApiError whose message names the verb, resource and namespace.
 */
export class KubeClient {
  readonly kubeConfig: KubeConfig
  private readonly api: CustomObjectsApi

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig
    this.api = kubeConfig.makeApiClient(CustomObjectsApi)
  }

  static load(options: LoadKubeConfigOptions = {}): KubeClient {
    return new KubeClient(loadKubeConfig(options))
  }

  /** The current context's namespace, or "default". */
  get defaultNamespace(): string {
    return this.kubeConfig.getContextObject(this.kubeConfig.getCurrentContext())?.namespace ?? 'default'
  }

  get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string, name: string): Promise<T> {
    return this.call({ verb: 'get', ...typeOf(type), namespace, name }, () =>
      this.api.getNamespacedCustomObject({ ...typeOf(type), namespace, name }))
  }

  async list<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string,
    options: ListOptions = {}): Promise<KubeList<T>> {
    const list = await this.call<{ items: T[]; metadata?: { resourceVersion?: string } }>(
      { verb: 'list', ...typeOf(type), namespace },
      () => this.api.listNamespacedCustomObject({ ...typeOf(type), namespace, ...options }))
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' }
  }

  create<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string, body: T): Promise<T> {
    return this.call({ verb: 'create', ...typeOf(type), namespace, name: body.metadata.name }, () =>
      this.api.createNamespacedCustomObject({ ...typeOf(type), namespace, body }))
  }

  async delete(type: ResourceType, namespace: string, name: string): Promise<void> {
    await this.call({ verb: 'delete', ...typeOf(type), namespace, name }, () =>
      this.api.deleteNamespacedCustomObject({ ...typeOf(type), namespace, name }))
  }

  /** RFC 7386 JSON merge patch of the main resource (spec, metadata). Status sent here is ignored by the server
   * when the CRD has a status subresource. */
  mergePatch<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string, name: string,
    patch: Record<string, unknown>, options: PatchOptions = {}): Promise<T> {
    const body = withResourceVersion(patch, options.resourceVersion)
    return this.call({ verb: 'patch', ...typeOf(type), namespace, name }, () =>
      this.api.patchNamespacedCustomObject({ ...typeOf(type), namespace, name, body }, mergePatchHeader()))
  }

  /** RFC 7386 JSON merge patch of the /status subresource. 404 (KubeApiError.isNotFound) when the CRD has none. */
  mergePatchStatus<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string, name: string,
    patch: Record<string, unknown>, options: PatchOptions = {}): Promise<T> {
    const body = withResourceVersion(patch, options.resourceVersion)
    return this.call({ verb: 'patch', ...typeOf(type), subresource: 'status', namespace, name }, () =>
      this.api.patchNamespacedCustomObjectStatus({ ...typeOf(type), namespace, name, body }, mergePatchHeader()))
  }

  /** See watchCustomObjects: list+watch that resumes after disconnects and re-lists after 410 Gone. */
  watch<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string, handler: WatchHandler<T>,
    options: WatchOptions = {}): ResumableWatch {
    return watchCustomObjects<T>(this.kubeConfig, type, namespace, handler, options,
      (listOptions) => this.list<T>(type, namespace, listOptions))
  }

  private async call<T>(operation: KubeOperation, request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T
    } catch (error) {
      throw toKubeApiError(operation, error)
    }
  }
}

function typeOf(type: ResourceType): { group: string; version: string; plural: string } {
  return { group: type.group, version: type.version, plural: type.plural }
}

// The generated patch methods send application/json-patch+json unless told otherwise.
function mergePatchHeader() {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
}

function withResourceVersion(patch: Record<string, unknown>, resourceVersion: string | undefined): Record<string, unknown> {
  if (resourceVersion === undefined) return patch
  const metadata = (patch.metadata ?? {}) as Record<string, unknown>
  return { ...patch, metadata: { ...metadata, resourceVersion } }
}
