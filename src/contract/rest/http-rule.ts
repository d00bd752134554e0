/**
 * The REST surface of a compiled contract: for every rpc, the HTTP bindings its
 * `google.api.http` option declares (the primary rule and its additional_bindings), each with
 * the source spans a finding points at. Works on the proto front end's AST, whose option values
 * are structured trees with spans.
 */

import type { MessageValue, MethodDecl, OptionDecl, OptionValue, ProtoFile, Span } from '../proto/index.js'
import { parsePathTemplate, PathTemplateError, type PathTemplate } from './path-template.js'

export const HTTP_OPTION = 'google.api.http'
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

export interface HttpBinding {
  /** Upper-case HTTP method: GET, POST, … or a custom kind (`custom { kind: "HEAD" }`). */
  method: string
  path: PathTemplate
  /** The request field mapped to the body, `*` for the whole request, '' for none. */
  body: string
  /** The response field sent as the body, '' for the whole response. */
  responseBody: string
  /** 0 for the primary rule, 1… for additional_bindings in order. */
  index: number
  spans: {
    /** The whole rule value (`{ … }`, or the additional_bindings entry). */
    rule: Span
    /** The `get: "…"` (or `custom { … }`) entry. */
    method: Span
    /** The path string literal. */
    path: Span
    body?: Span
    responseBody?: Span
  }
}

export interface RestMethod {
  /** `pkg.Service.Method`. */
  fullName: string
  method: MethodDecl
  file: ProtoFile
  /** Primary first; empty when the rpc has no google.api.http option. */
  bindings: HttpBinding[]
  /** The option declaration(s), for the rule's location. */
  optionSpan?: Span
  /** Set when the bindings come from a gRPC-Gateway YAML file instead of the option: that file's path. */
  bindingsPath?: string
  /** Set when the option is present but could not be read (the rpc is then left out of REST rules). */
  problem?: string
}

export interface RestSurface {
  /** By rpc full name. */
  methods: Map<string, RestMethod>
  /** Options that could not be read (bad path template, missing method): file:line:col and what was expected. */
  problems: string[]
}

/** The REST surface of every service in `files`. */
export function restSurface(files: readonly ProtoFile[]): RestSurface {
  const methods = new Map<string, RestMethod>()
  const problems: string[] = []
  for (const file of files) {
    for (const service of file.services) {
      for (const method of service.methods) {
        const options = method.options.filter((option) => option.nameParts[0]?.extension && stripDot(option.nameParts[0].name) === HTTP_OPTION)
        const entry: RestMethod = { fullName: method.fullName, method, file, bindings: [] }
        if (options.length > 0) {
          entry.optionSpan = options[0]!.span
          try {
            entry.bindings = bindingsOf(options)
          } catch (error) {
            if (!(error instanceof HttpRuleError)) throw error
            entry.problem = `${file.path}:${error.span.line}:${error.span.column}: ${error.message}`
            problems.push(entry.problem)
          }
        }
        methods.set(method.fullName, entry)
      }
    }
  }
  return { methods, problems }
}

export class HttpRuleError extends Error {
  override readonly name = 'HttpRuleError'
  constructor(
    message: string,
    readonly span: Span
  ) {
    super(message)
  }
}

function stripDot(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name
}

/**
 * The bindings of an rpc. The option is usually one message literal; the field-by-field form
 * (`option (google.api.http).get = "…";`) is merged into one rule the way protoc merges it.
 */
function bindingsOf(options: readonly OptionDecl[]): HttpBinding[] {
  const entries: Entry[] = []
  for (const option of options) {
    if (option.nameParts.length === 1) {
      if (option.value.kind !== 'message') throw new HttpRuleError(`(${HTTP_OPTION}) must be a message literal { … }`, option.value.span)
      for (const field of option.value.fields) entries.push({ name: field.name, value: field.value, span: field.span })
    } else {
      entries.push({ name: option.nameParts.slice(1).map((part) => part.name).join('.'), value: option.value, span: option.span })
    }
  }
  return bindingsFromEntries(entries, options.length === 1 ? options[0]!.value.span : options[0]!.span)
}

/** The primary rule and its additional_bindings from the entries of one HttpRule message. */
export function bindingsFromEntries(entries: readonly Entry[], ruleSpan: Span): HttpBinding[] {
  const primary = ruleFrom(entries, ruleSpan, 0)
  const result = [primary]
  for (const entry of entries.filter((candidate) => candidate.name === 'additional_bindings')) {
    const values = entry.value.kind === 'list' ? entry.value.values : [entry.value]
    for (const value of values) {
      if (value.kind !== 'message') throw new HttpRuleError('additional_bindings must be a message literal { … }', value.span)
      const nested = value.fields.map((field) => ({ name: field.name, value: field.value, span: field.span }))
      result.push(ruleFrom(nested, (value as MessageValue).span, result.length))
    }
  }
  return result
}

export interface Entry {
  name: string
  value: OptionValue
  span: Span
}

function ruleFrom(entries: readonly Entry[], ruleSpan: Span, index: number): HttpBinding {
  let method: { name: string; path: string; span: Span; pathSpan: Span } | undefined
  let body: Entry | undefined
  let responseBody: Entry | undefined
  for (const entry of entries) {
    if ((HTTP_METHODS as readonly string[]).includes(entry.name)) {
      method = { name: entry.name.toUpperCase(), path: stringOf(entry.value), span: entry.span, pathSpan: entry.value.span }
    } else if (entry.name === 'custom') {
      if (entry.value.kind !== 'message') throw new HttpRuleError('custom must be { kind: "…" path: "…" }', entry.value.span)
      const kind = entry.value.fields.find((field) => field.name === 'kind')
      const path = entry.value.fields.find((field) => field.name === 'path')
      if (!kind || !path) throw new HttpRuleError('custom needs both kind and path', entry.value.span)
      method = { name: stringOf(kind.value).toUpperCase(), path: stringOf(path.value), span: entry.span, pathSpan: path.value.span }
    } else if (entry.name === 'body') {
      body = entry
    } else if (entry.name === 'response_body') {
      responseBody = entry
    }
  }
  if (!method) throw new HttpRuleError('an http rule needs one of get, put, post, delete, patch or custom', ruleSpan)
  let path: PathTemplate
  try {
    path = parsePathTemplate(method.path)
  } catch (error) {
    if (error instanceof PathTemplateError) throw new HttpRuleError(error.message, method.pathSpan)
    throw error
  }
  return {
    method: method.name,
    path,
    body: body ? stringOf(body.value) : '',
    responseBody: responseBody ? stringOf(responseBody.value) : '',
    index,
    spans: {
      rule: ruleSpan,
      method: method.span,
      path: method.pathSpan,
      ...(body ? { body: body.value.span } : {}),
      ...(responseBody ? { responseBody: responseBody.value.span } : {})
    }
  }
}

function stringOf(value: OptionValue): string {
  if (value.kind !== 'string') throw new HttpRuleError('expected a string literal', value.span)
  return value.value
}

/** How a binding is written in messages: `POST /v1/{parent=shelves/*}/books`. */
export function describeBinding(binding: HttpBinding): string {
  return `${binding.method} ${binding.path.text}`
}
