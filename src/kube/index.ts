export {
  KubeClient,
  loadKubeConfig,
  type KubeList,
  type KubeObject,
  type ListOptions,
  type LoadKubeConfigOptions,
  type ObjectMeta,
  type PatchOptions,
  type ResourceType,
} from './client.js'
export { kubeClientForEnvironment } from './environment.js'
export { KubeApiError, rbacResource, toKubeApiError, type KubeOperation, type KubeVerb } from './errors.js'
export * from './resources.js'
export type { ResumableWatch, WatchEvent, WatchEventType, WatchHandler, WatchOptions, WatchStats } from './watch.js'
