import { alerts } from './alerts.js'
import { burnRate } from './burn-rate.js'
import { compare } from './compare.js'
import type { GateKindSpec } from './common.js'
import { mannWhitneyKind } from './mann-whitney.js'
import { presence } from './presence.js'
import { sequential } from './sequential.js'
import { threshold } from './threshold.js'

/** The gate kinds, one registered unit each; the config union and the docs table derive from this list. */
export const gateKinds = [threshold, compare, presence, alerts, mannWhitneyKind, sequential, burnRate] as const

const byName = new Map<string, GateKindSpec>(gateKinds.map((k) => [k.kind, k as unknown as GateKindSpec]))

export function gateKind(name: string): GateKindSpec {
  const kind = byName.get(name)
  if (!kind) throw new Error(`unknown gate kind "${name}"; expected one of ${[...byName.keys()].join(', ')}`)
  return kind
}
