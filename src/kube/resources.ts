import type { ResourceType } from './client.js'

// The custom resource types release-gate reads and patches (group/version/plural as served by the API).
export const ROLLOUTS: ResourceType = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' }
export const POD_CHAOS: ResourceType = { group: 'chaos-mesh.org', version: 'v1alpha1', plural: 'podchaos' }
export const CHAOS_ENGINES: ResourceType = { group: 'litmuschaos.io', version: 'v1alpha1', plural: 'chaosengines' }
export const CHAOS_RESULTS: ResourceType = { group: 'litmuschaos.io', version: 'v1alpha1', plural: 'chaosresults' }
