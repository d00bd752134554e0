/**
 * The REST compare: the google.api.http surface of head against base, through the REST rules.
 * Inputs are compiled proto ASTs (module files); `restCompareTexts` compiles texts itself.
 */

import { compile, WELL_KNOWN_TYPES, type ProtoFile } from '../proto/index.js'
import { applyGatewayConfig, type GatewayConfig } from './gateway-yaml.js'
import { restSurface } from './http-rule.js'
import { pairSurfaces } from './pairing.js'
import { restRules, type RestContext, type RestRule } from './rules.js'
import type { RuleFinding } from './types.js'

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
  const expand = (ids: readonly string[]): string[] =>
    ids.flatMap((id) => {
      if (id === 'REST') return restRules.map((rule) => rule.id)
      if (restRules.some((rule) => rule.id === id)) return [id]
      throw new RestConfigError(`${JSON.stringify(id)} is not a REST rule ID (known: REST, ${restRules.map((rule) => rule.id).join(', ')})`)
    })
  const use = options.use && options.use.length > 0 ? new Set(expand(options.use)) : new Set(restRules.filter((rule) => rule.default).map((rule) => rule.id))
  for (const id of expand(options.except ?? [])) use.delete(id)
  return restRules.filter((rule) => use.has(rule.id))
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
  const findings: RuleFinding[] = []
  for (const rule of rules) {
    rule.check(context, (span, message) => {
      findings.push(
        span
          ? { rule: rule.id, path: displayPath(span.path), line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, message }
          : { rule: rule.id, line: 1, column: 1, endLine: 1, endColumn: 1, message }
      )
    })
  }
  findings.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule))
  return { findings, rules: rules.map((rule) => rule.id), problems: [...headSurface.problems] }
}

export interface CompiledSide {
  files: ProtoFile[]
  /** Compile errors as `file:line:col: message`. */
  errors: string[]
}

/** Compile every module file of one side (module-relative path → text); imports resolve within the map and the well-known types. */
export function compileSide(texts: ReadonlyMap<string, string>): CompiledSide {
  const targets = [...texts.keys()].filter((path) => !WELL_KNOWN_TYPES.has(path))
  const result = compile({ read: (path) => texts.get(path) }, { targets })
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
