/**
 * gRPC-Gateway's external HTTP configuration (a google.api.Service YAML passed as
 * `grpc_api_configuration`): `http: rules: - selector: pkg.Service.Method get: /v1/…`. Each rule
 * becomes the bindings of the rpc it selects, with spans in the YAML file, so the REST rules
 * treat it like a google.api.http option. A YAML rule replaces the rpc's option bindings.
 */

import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml'
import { ListValue, LineTable, MessageFieldValue, MessageValue, StringValue, type OptionValue } from '../proto/index.js'
import { bindingsFromEntries, HttpRuleError, type RestSurface } from './http-rule.js'

export interface GatewayConfig {
  /** Path findings print for the YAML file. */
  path: string
  text: string
}

/** Attach the YAML's rules to `surface` (in place); unreadable rules are added to `surface.problems`. */
export function applyGatewayConfig(surface: RestSurface, config: GatewayConfig): void {
  const lines = new LineTable(config.text)
  const document = parseDocument(config.text, { keepSourceTokens: false })
  const problem = (node: YamlNode | null | undefined, message: string): void => {
    const span = lines.span(node?.range?.[0] ?? 0, node?.range?.[1] ?? 0)
    surface.problems.push(`${config.path}:${span.line}:${span.column}: ${message}`)
  }
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    const span = lines.span(error.pos[0], error.pos[1])
    surface.problems.push(`${config.path}:${span.line}:${span.column}: ${error.message.split('\n')[0]}`)
    return
  }
  const root = document.contents
  const http = isMap(root) ? root.get('http', true) : undefined
  if (http === undefined) return
  const rules = isMap(http) ? http.get('rules', true) : undefined
  if (!isSeq(rules)) {
    problem(http as YamlNode, 'expected http.rules to be a list of rules')
    return
  }
  for (const rule of rules.items) {
    if (!isMap(rule)) {
      problem(rule as YamlNode, 'expected a rule mapping with a selector')
      continue
    }
    const selector = rule.get('selector', true)
    if (!isScalar(selector) || typeof selector.value !== 'string') {
      problem(rule, 'expected a selector naming an rpc (pkg.Service.Method)')
      continue
    }
    const method = surface.methods.get(selector.value.replace(/^\./, ''))
    if (!method) {
      problem(selector, `selector ${JSON.stringify(selector.value)} names no rpc of the contract`)
      continue
    }
    const value = toOptionValue(rule, lines)
    if (value.kind !== 'message') continue
    const entries = value.fields.filter((field) => field.name !== 'selector').map((field) => ({ name: field.name, value: field.value, span: field.span }))
    try {
      method.bindings = bindingsFromEntries(entries, value.span)
      method.bindingsPath = config.path
      delete method.problem
    } catch (error) {
      if (!(error instanceof HttpRuleError)) throw error
      surface.problems.push(`${config.path}:${error.span.line}:${error.span.column}: ${error.message}`)
    }
  }
}

/** YAML nodes as the option-value tree the http rule reader understands, with YAML spans. */
function toOptionValue(node: unknown, lines: LineTable): OptionValue {
  const [start, end] = rangeOf(node)
  if (isMap(node)) {
    const fields = node.items.map((pair) => {
      const key = pair.key as YamlNode
      const [keyStart, keyEnd] = rangeOf(key)
      const name = isScalar(key) ? String(key.value) : ''
      return new MessageFieldValue(lines, keyStart, keyEnd, name, 'field', toOptionValue(pair.value, lines))
    })
    return new MessageValue(lines, start, end, fields)
  }
  if (isSeq(node)) return new ListValue(lines, start, end, node.items.map((item) => toOptionValue(item, lines)))
  // Every scalar reads as text (a path, a body field name); the http rule reader decides what fits.
  const text = isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : ''
  return new StringValue(lines, start, end, text, undefined)
}

function rangeOf(node: unknown): [number, number] {
  const range = (node as YamlNode | null)?.range
  return range ? [range[0], range[1]] : [0, 0]
}
