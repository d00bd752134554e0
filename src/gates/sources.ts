/**
 * The Prometheus and Alertmanager clients of a gate run, built from the config's endpoints. The
 * gates stage and the chaos guard both measure gates, so both build their clients here.
 */
import * as core from '@actions/core'
import { parseDuration } from '../config/duration.js'
import type { EndpointConfig } from '../config/schema.js'
import { AlertmanagerClient } from '../prometheus/alertmanager.js'
import type { HttpAuthConfig } from '../prometheus/auth.js'
import { PrometheusClient } from '../prometheus/client.js'
import type { DataSources } from './measure.js'

/** A client for each endpoint given; relative secret files resolve against `baseDir`. */
export function openDataSources(endpoints: { prometheus?: EndpointConfig | undefined; alertmanager?: EndpointConfig | undefined }, context: { baseDir: string; env: NodeJS.ProcessEnv }): DataSources {
  // Masking is a workflow command; outside Actions it would print the secret instead.
  const onSecret = context.env.GITHUB_ACTIONS === 'true' ? (value: string) => core.setSecret(value) : undefined
  const clientOptions = (endpoint: EndpointConfig) => ({
    url: endpoint.url,
    timeoutMs: parseDuration(endpoint.timeout),
    ...(endpoint.auth ? { auth: endpoint.auth as HttpAuthConfig } : {}),
    authContext: { cwd: context.baseDir, env: context.env, ...(onSecret ? { onSecret } : {}) }
  })
  const sources: DataSources = {}
  if (endpoints.prometheus) sources.prometheus = new PrometheusClient(clientOptions(endpoints.prometheus))
  if (endpoints.alertmanager) sources.alertmanager = new AlertmanagerClient(clientOptions(endpoints.alertmanager))
  return sources
}

export async function closeDataSources(sources: DataSources): Promise<void> {
  await Promise.all([sources.prometheus?.close(), sources.alertmanager?.close()])
}
