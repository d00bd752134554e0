/**
 * The REST compare: the google.api.http surface of head against base, through the REST rules.
 * Inputs are compiled proto ASTs (module files); `restCompareTexts` compiles texts itself.
 */

import { compile, WELL_KNOWN_TYPES, type ProtoFile } from '../proto/index.js'
import { reusableCompile, type Compilation } from '../source/compare.js'
import { applyGatewayConfig, type GatewayConfig } from './gateway-yaml.js'
import { restSurface } from './http-rule.js'
import { pairSurfaces } from './pairing.js'
import { restRules, type RestContext, type RestRule } from './rules.js'
import { runExtraRules, selectExtraRules, type RuleFinding } from './types.js'

export interface RestCompareOptions {
  /** Rule IDs or `REST`; absent or empty = every REST rule. */
  use?: readonly string[]
  except?: readonly string[]
  /** The path a finding prints for a module-relative path. */
  displayPath?: (modulePath: string) => string
  /** gRPC-Gateway http rule YAML of each side (its rules replace the options of the rpcs they select). */
  gatewayConfig?: { head?: GatewayConfig; base?: GatewayConfig }
}

export interface RestCompareResult {
  findings: RuleFinding[]
  rules: string[]
  /** http options that could not be read, as `file:line:col: what was expected`. */
  problems: string[]
}

export class RestConfigError extends Error {
  override readonly name = 'RestConfigError'
}

export function selectRestRules(options: Pick<RestCompareOptions, 'use' | 'except'> = {}): RestRule[] {
  return selectExtraRules(restRules, 'REST', options, RestConfigError)
}

export function restCompare(head: readonly ProtoFile[], base: readonly ProtoFile[], options: RestCompareOptions = {}): RestCompareResult {
  const rules = selectRestRules(options)
  const headSurface = restSurface(head)
  const baseSurface = restSurface(base)
  if (options.gatewayConfig?.head) applyGatewayConfig(headSurface, options.gatewayConfig.head)
  if (options.gatewayConfig?.base) applyGatewayConfig(baseSurface, options.gatewayConfig.base)
  const context: RestContext = {
    head: headSurface,
    base: baseSurface,
    pairings: pairSurfaces(headSurface, baseSurface),
    headFiles: new Map(head.map((file) => [file.path, file]))
  }
  const modulePathShown = options.displayPath ?? ((modulePath: string) => modulePath)
  // YAML paths are given as they should print; only module paths go through displayPath.
  const yamlPaths = new Set([options.gatewayConfig?.head?.path, options.gatewayConfig?.base?.path])
  const displayPath = (path: string): string => (yamlPaths.has(path) ? path : modulePathShown(path))
  return { findings: runExtraRules(rules, context, displayPath), rules: rules.map((rule) => rule.id), problems: [...headSurface.problems] }
}

export interface CompiledSide {
  files: ProtoFile[]
  /** Compile errors as `file:line:col: message`. */
  errors: string[]
}

/** Compile every module file of one side (module-relative path → text); imports resolve within the map and the well-known types. */
export function compileSide(texts: ReadonlyMap<string, string>, previous?: Compilation): CompiledSide {
  const targets = [...texts.keys()].filter((path) => !WELL_KNOWN_TYPES.has(path))
  // An earlier compile of exactly these texts and targets (lint's, the breaking compare's) is the same result.
  const result = reusableCompile(previous, texts, targets) ?? compile({ read: (path) => texts.get(path) }, { targets })
  return { files: result.files, errors: result.errors.map((error) => error.message) }
}

/** `restCompare` over texts; a side that does not compile is an error naming its first problems. */
export function restCompareTexts(head: ReadonlyMap<string, string>, base: ReadonlyMap<string, string>, options: RestCompareOptions = {}): RestCompareResult {
  const headSide = compileSide(head)
  const baseSide = compileSide(base)
  for (const [side, compiled] of [['head', headSide], ['base', baseSide]] as const) {
    if (compiled.errors.length > 0) throw new RestConfigError(`the ${side} contract does not compile: ${compiled.errors.slice(0, 3).join('; ')}`)
  }
  return restCompare(headSide.files, baseSide.files, options)
}
