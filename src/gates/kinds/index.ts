import { alerts } from './alerts.js'
import { burnRate } from './burn-rate.js'
import { compare } from './compare.js'
import type { GateKindSpec } from './common.js'
import { mannWhitney } from './mann-whitney.js'
import { presence } from './presence.js'
import { sequential } from './sequential.js'
import { threshold } from './threshold.js'

/** The gate kinds, one registered unit each; the config union and the docs table derive from this list. */
export const gateKinds = [threshold, compare, presence, alerts, mannWhitney, sequential, burnRate] as const satisfies readonly GateKindSpec[]

export type GateKindName = (typeof gateKinds)[number]['kind']
