/**
 * What an experiment manifest would touch, read the way the controllers read it: the kind, every
 * namespace its selectors can reach, and the blast radius (selector mode and value).
 */

export type BlastMode = 'one' | 'all' | 'fixed' | 'fixed-percent' | 'random-max-percent'

export interface ChaosTarget {
  driver: 'chaos-mesh' | 'litmus'
  kind: string
  name: string
  /** Namespace the chaos object itself lives in. */
  namespace: string
  /** Every namespace a selector can reach; a cluster-wide selector is represented by '*'. */
  targetNamespaces: string[]
  mode: BlastMode
  /** Pods for fixed, percent for the percent modes; undefined for one and all. */
  value?: number
  duration?: string
}

export type ChaosManifest = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: Record<string, unknown> }

/** Chaos Mesh kinds that inject into pods (everything a selector-based experiment can be). */
export const CHAOS_MESH_KINDS = ['PodChaos', 'NetworkChaos', 'DNSChaos', 'HTTPChaos', 'IOChaos', 'StressChaos', 'TimeChaos'] as const
const CHAOS_MESH_MODES: readonly BlastMode[] = ['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent']

export function chaosMeshTarget(manifest: ChaosManifest): ChaosTarget {
  const kind = String(manifest.kind)
  if (kind === 'Schedule' || kind === 'Workflow')
    throw new Error(`${kind} is not supported: it creates chaos on its own timeline that the SLO guard cannot bound; use one of ${CHAOS_MESH_KINDS.join(', ')}`)
  if (!(CHAOS_MESH_KINDS as readonly string[]).includes(kind)) throw new Error(`kind ${kind} is not a Chaos Mesh experiment kind; expected one of ${CHAOS_MESH_KINDS.join(', ')}`)
  const namespace = stringOr(manifest.metadata?.namespace, 'default')
  const spec = manifest.spec ?? {}
  const mode = String(spec.mode ?? '') as BlastMode
  if (!CHAOS_MESH_MODES.includes(mode)) throw new Error(`spec.mode: expected one of ${CHAOS_MESH_MODES.join(', ')}, got ${JSON.stringify(spec.mode)}`)
  const selectors = [spec.selector, kind === 'NetworkChaos' ? (spec.target as { selector?: unknown } | undefined)?.selector : undefined].filter(Boolean)
  const targetNamespaces = [...new Set(selectors.flatMap((s) => selectorNamespaces(s as Record<string, unknown>, namespace)))]
  return {
    driver: 'chaos-mesh',
    kind,
    name: stringOr(manifest.metadata?.name, ''),
    namespace,
    targetNamespaces,
    mode,
    value: mode === 'one' || mode === 'all' ? undefined : numberOf(spec.value, 'spec.value'),
    duration: typeof spec.duration === 'string' ? spec.duration : undefined
  }
}

/** Namespaces a Chaos Mesh selector reaches; an empty list defaults to the object's own namespace (the webhook does that). */
function selectorNamespaces(selector: Record<string, unknown>, own: string): string[] {
  const explicit = Array.isArray(selector.namespaces) ? selector.namespaces.map(String) : []
  const pods = selector.pods && typeof selector.pods === 'object' ? Object.keys(selector.pods) : []
  const all = [...explicit, ...pods]
  return all.length > 0 ? all : [own]
}

export function litmusTarget(manifest: ChaosManifest): ChaosTarget {
  if (manifest.kind !== 'ChaosEngine') throw new Error(`kind ${String(manifest.kind)}: a Litmus experiment is run through a ChaosEngine`)
  const namespace = stringOr(manifest.metadata?.namespace, 'default')
  const spec = manifest.spec ?? {}
  const appinfo = (spec.appinfo ?? {}) as { appns?: unknown }
  const experiments = Array.isArray(spec.experiments) ? (spec.experiments as { spec?: { components?: { env?: { name: string; value: unknown }[] } } }[]) : []
  const env = experiments.flatMap((e) => e.spec?.components?.env ?? [])
  const envValue = (name: string) => env.find((e) => e.name === name)?.value
  const percent = envValue('PODS_AFFECTED_PERC')
  const totalDuration = envValue('TOTAL_CHAOS_DURATION')
  // PODS_AFFECTED_PERC empty or 0 means "at least one pod" to the Litmus go-runner.
  const pct = percent === undefined || percent === '' || Number(percent) === 0 ? undefined : numberOf(percent, 'PODS_AFFECTED_PERC')
  return {
    driver: 'litmus',
    kind: 'ChaosEngine',
    name: stringOr(manifest.metadata?.name, ''),
    namespace,
    targetNamespaces: [stringOr(appinfo.appns, namespace)],
    mode: pct === undefined ? 'one' : 'fixed-percent',
    value: pct,
    duration: totalDuration === undefined ? undefined : `${Number(totalDuration)}s`
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback
}

function numberOf(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what}: expected a positive number, got ${JSON.stringify(value)}`)
  return n
}
