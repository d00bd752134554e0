import path from 'node:path'
import type { Config } from '../config/schema.js'
import { KubeClient } from './client.js'

/**
 * The client for an environment of the config: its kubeconfig (relative to the config file's folder)
 * and context; without them, the default kubeconfig ($KUBECONFIG, ~/.kube/config, in-cluster).
 */
export function kubeClientForEnvironment(config: Config | undefined, environment: string | undefined, baseDir: string): KubeClient {
  const env = environment === undefined ? undefined : config?.environments[environment]
  return KubeClient.load({
    ...(env?.kubeconfig ? { kubeconfigPath: path.resolve(baseDir, env.kubeconfig) } : {}),
    ...(env?.kubeContext ? { context: env.kubeContext } : {}),
  })
}
