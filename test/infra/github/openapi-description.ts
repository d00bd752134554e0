/**
 * GitHub's published OpenAPI description, turned into request/response validators. OpenAPI 3.0
 * schemas are a dialect of JSON Schema (nullable, boolean exclusive bounds, example, x-*); they are
 * rewritten into draft-07 for ajv. OpenAPI 3.1 schemas are JSON Schema 2020-12 and only lose the
 * OpenAPI-only annotation keywords.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv'
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const Ajv = AjvModule.default
const Ajv2020 = Ajv2020Module.default
const addFormats = addFormatsModule.default
type AjvInstance = InstanceType<typeof Ajv>

export type JsonObject = Record<string, unknown>

export interface OpenApiDocument {
  openapi: string
  info?: { version?: string }
  paths: Record<string, JsonObject>
  components?: { schemas?: Record<string, unknown>; parameters?: Record<string, unknown>; examples?: Record<string, unknown>; responses?: Record<string, unknown>; requestBodies?: Record<string, unknown> }
}

const require = createRequire(import.meta.url)
const descriptions = new Map<string, OpenApiDocument>()

/**
 * A description shipped in @octokit/openapi, in its $ref-keeping form: `api.github.com` (default),
 * `ghec`, or a GitHub Enterprise Server release such as `ghes-3.19`.
 */
export function loadGitHubDescription(variant = 'api.github.com'): OpenApiDocument {
  let doc = descriptions.get(variant)
  if (!doc) {
    doc = JSON.parse(readFileSync(require.resolve(`@octokit/openapi/generated/${variant}.json`), 'utf8')) as OpenApiDocument
    descriptions.set(variant, doc)
  }
  return doc
}

export function githubDescriptionPackageVersion(): string {
  return (require('@octokit/openapi/package.json') as { version: string }).version
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
/** Annotations OpenAPI adds to JSON Schema; they never affect validity. */
const OPENAPI_ONLY_KEYWORDS = new Set(['example', 'xml', 'externalDocs', 'discriminator'])
/**
 * Each component schema becomes an ajv schema of its own under this base, added the first time a
 * compiled schema refers to it: GitHub has thousands, a test needs a few dozen.
 */
const COMPONENT_BASE = 'https://openapi.invalid/components/schemas/'
const LOCAL_COMPONENT_REF = '#/components/schemas/'

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: unknown
  'x-multi-segment'?: boolean
}

export interface Operation {
  operationId: string
  method: string
  /** The path template as the description spells it, e.g. /repos/{owner}/{repo}/check-runs. */
  template: string
  parameters: Parameter[]
  raw: JsonObject
}

interface Route {
  operation: Operation
  regex: RegExp
  pathParams: string[]
  literalSegments: number
}

export interface RequestCheck {
  operation: Operation
  pathParams: Record<string, string>
  query: Record<string, string | string[]>
  errors: string[]
}

export class OpenApiValidator {
  readonly doc: OpenApiDocument
  readonly is31: boolean
  private readonly ajv: AjvInstance
  private readonly routes: Route[] = []
  private readonly byId = new Map<string, Operation>()
  private readonly compiled = new Map<string, ValidateFunction>()
  /** Every format the converted schemas use. */
  private readonly formats = new Set<string>()
  /** Component schemas already handed to ajv, each under its own $id. */
  private readonly addedComponents = new Set<string>()

  constructor(doc: OpenApiDocument) {
    this.doc = doc
    this.is31 = doc.openapi.startsWith('3.1')
    if (!this.is31 && !doc.openapi.startsWith('3.0')) throw new Error(`unsupported OpenAPI version ${doc.openapi}`)
    // strictRequired stays off: GitHub's schemas require properties they do not define.
    const options = { strict: true, strictRequired: false, strictTypes: false, strictTuples: false, allowUnionTypes: true, allErrors: true }
    this.ajv = this.is31 ? new Ajv2020(options) : new Ajv(options)
    addFormats(this.ajv)
    for (const op of this.operations()) {
      this.byId.set(op.operationId, op)
      const pathParams: string[] = []
      const segments = op.template.split('/')
      const pattern = segments
        .map((segment) =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
            if (!name) return escapeRegex(part)
            pathParams.push(name)
            // x-multi-segment marks parameters that may contain slashes (a file path, a ref).
            return op.parameters.find((p) => p.in === 'path' && p.name === name)?.['x-multi-segment'] ? '(.+)' : '([^/]+)'
          })
        )
        .join('/')
      this.routes.push({ operation: op, regex: new RegExp(`^${pattern}$`), pathParams, literalSegments: segments.filter((s) => s && !s.includes('{')).length })
    }
    // /repos/{owner}/{repo}/issues/comments must win over /repos/{owner}/{repo}/issues/{issue_number}.
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments)
  }

  operation(operationId: string): Operation {
    const op = this.byId.get(operationId)
    if (!op) throw new Error(`no operation ${operationId} in the OpenAPI description`)
    return op
  }

  /** The operation for METHOD /path, or why there is none. */
  route(method: string, pathname: string): { operation: Operation; pathParams: Record<string, string> } | { error: string; status: 404 | 405 } {
    let pathMatched = false
    for (const route of this.routes) {
      const m = route.regex.exec(pathname)
      if (!m) continue
      pathMatched = true
      if (route.operation.method !== method.toLowerCase()) continue
      const pathParams = Object.fromEntries(route.pathParams.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]))
      return { operation: route.operation, pathParams }
    }
    return pathMatched
      ? { status: 405, error: `${method} is not documented for ${pathname}` }
      : { status: 404, error: `no path in the OpenAPI description matches ${pathname}` }
  }

  /** Checks path parameters, query parameters and the JSON body of a request against its operation. */
  checkRequest(method: string, url: URL, body: unknown, contentType: string | undefined): RequestCheck | { error: string; status: 404 | 405 } {
    const routed = this.route(method, url.pathname)
    if ('error' in routed) return routed
    const { operation, pathParams } = routed
    const errors: string[] = []
    const query: Record<string, string | string[]> = {}
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key)
      query[key] = values.length === 1 ? values[0]! : values
    }
    errors.push(...this.checkParameters(operation, 'path', pathParams))
    errors.push(...this.checkParameters(operation, 'query', query))

    const requestBody = this.resolve(operation.raw.requestBody) as JsonObject | undefined
    const media = (requestBody?.content as Record<string, JsonObject> | undefined)?.['application/json']
    if (body === undefined) {
      if (requestBody?.required) errors.push('request body: required by the operation but absent')
    } else if (!requestBody) {
      errors.push('request body: the operation takes none')
    } else if (!media) {
      errors.push(`request body: the operation takes ${Object.keys((requestBody.content as JsonObject) ?? {}).join(', ')}, not JSON`)
    } else {
      if (!contentType?.startsWith('application/json')) errors.push(`request body: content-type ${contentType ?? '(none)'}, expected application/json`)
      const validate = this.validator(`${operation.operationId} request`, media.schema)
      if (!validate(body)) errors.push(...formatErrors('request body', validate.errors))
      else errors.push(...this.undeclaredProperties(media.schema, body, 'request body'))
    }
    return { operation, pathParams, query, errors }
  }

  /** Errors of `body` against the documented response for `status` (or the `default` response). */
  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const responses = (operation.raw.responses ?? {}) as Record<string, unknown>
    const response = this.resolve(responses[String(status)] ?? responses.default) as JsonObject | undefined
    if (!response) return [`response: status ${status} is not documented for ${operation.operationId} (documented: ${Object.keys(responses).join(', ')})`]
    const media = (response.content as Record<string, JsonObject> | undefined)?.['application/json']
    if (!media) return body === undefined ? [] : [`response: ${operation.operationId} ${status} documents no JSON body`]
    const validate = this.validator(`${operation.operationId} ${status} response`, media.schema)
    return validate(body) ? [] : formatErrors(`response ${status}`, validate.errors)
  }

  /**
   * The operation's first documented success, with its example body (GitHub's own) or, when it has
   * none, the smallest body its schema accepts.
   */
  successResponse(operation: Operation): { status: number; body: unknown } {
    const responses = (operation.raw.responses ?? {}) as Record<string, unknown>
    // The first success; operations that only redirect (downloads) answer with their 302.
    const code = Object.keys(responses)
      .filter((c) => /^[23]\d\d$/.test(c))
      .sort()[0]
    if (!code) throw new Error(`${operation.operationId} documents no 2xx or 3xx response`)
    const response = this.resolve(responses[code]) as JsonObject
    const media = (response.content as Record<string, JsonObject> | undefined)?.['application/json']
    if (!media) return { status: Number(code), body: undefined }
    const examples = media.examples as Record<string, unknown> | undefined
    const first = examples ? (this.resolve(Object.values(examples)[0]) as JsonObject | undefined) : undefined
    if (first && 'value' in first) return { status: Number(code), body: structuredClone(first.value) }
    if ('example' in media) return { status: Number(code), body: structuredClone(media.example) }
    return { status: Number(code), body: this.sample(media.schema, 0) }
  }

  /** Errors of a value against a component schema, e.g. a webhook payload against webhook-push. */
  checkComponent(name: string, value: unknown): string[] {
    const validate = this.validator(`component ${name}`, { $ref: `#/components/schemas/${name}` })
    return validate(value) ? [] : formatErrors(name, validate.errors)
  }

  private *operations(): Generator<Operation> {
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const shared = ((item.parameters as unknown[]) ?? []).map((p) => this.resolve(p) as Parameter)
      for (const method of METHODS) {
        const raw = item[method] as JsonObject | undefined
        if (!raw) continue
        const own = ((raw.parameters as unknown[]) ?? []).map((p) => this.resolve(p) as Parameter)
        const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own]
        yield { operationId: String(raw.operationId), method, template, parameters, raw }
      }
    }
  }

  private checkParameters(operation: Operation, where: 'path' | 'query', values: Record<string, string | string[]>): string[] {
    const declared = operation.parameters.filter((p) => p.in === where)
    const errors: string[] = []
    for (const name of Object.keys(values))
      if (!declared.some((p) => p.name === name)) errors.push(`${where} parameter ${name}: not declared by ${operation.operationId}`)
    const schema = {
      type: 'object',
      properties: Object.fromEntries(declared.map((p) => [p.name, p.schema ?? {}])),
      required: declared.filter((p) => p.required).map((p) => p.name)
    }
    // Path and query values arrive as text; read them as the declared types before validating.
    const typed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, this.fromText(declared.find((p) => p.name === k)?.schema, v)]))
    const validate = this.validator(`${operation.operationId} ${where}`, schema)
    if (!validate(typed)) errors.push(...formatErrors(`${where} parameters`, validate.errors))
    return errors
  }

  /** "12" → 12 for integers, "true" → true for booleans, a,b or repeated keys → arrays; anything else stays text and fails validation. */
  private fromText(schema: unknown, value: string | string[]): unknown {
    const s = this.resolve(schema)
    const type = isObject(s) ? (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) : undefined
    if (type === 'array') return (Array.isArray(value) ? value : value.split(',')).map((v) => this.fromText(isObject(s) ? s.items : undefined, v))
    if (Array.isArray(value)) return value
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
    return value
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.compiled.get(key)
    if (!validate) {
      const converted = this.toJsonSchema(schema) as object
      this.addReferencedComponents(converted)
      // Formats GitHub uses that JSON Schema does not define (repo.nwo, …) are annotations only.
      for (const f of this.formats) if (!this.ajv.formats[f]) this.ajv.addFormat(f, true)
      validate = this.ajv.compile(converted)
      this.compiled.set(key, validate)
    }
    return validate
  }

  /** Adds every component schema `schema` reaches through $refs, transitively, that ajv lacks. */
  private addReferencedComponents(schema: object): void {
    const pending = [schema as unknown]
    while (pending.length > 0) {
      const node = pending.pop()
      if (Array.isArray(node)) pending.push(...node)
      else if (isObject(node)) {
        const ref = node.$ref
        if (typeof ref === 'string' && ref.startsWith(COMPONENT_BASE)) {
          const name = decodeURIComponent(ref.slice(COMPONENT_BASE.length))
          if (!this.addedComponents.has(name)) {
            this.addedComponents.add(name)
            const component = this.doc.components?.schemas?.[name]
            if (component === undefined) throw new Error(`$ref ${LOCAL_COMPONENT_REF}${name} points nowhere`)
            const converted = this.toJsonSchema(component)
            // Wrapped, not merged: in draft-07 an $id beside a $ref would be ignored.
            this.ajv.addSchema({ $id: ref, allOf: [converted] })
            pending.push(converted)
          }
        }
        for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') pending.push(value)
      }
    }
  }

  /** Follows a local $ref ("#/components/…") to what it names. */
  resolve(node: unknown): unknown {
    let current = node
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 20) throw new Error(`$ref cycle at ${String(current.$ref)}`)
      current = pointer(this.doc, current.$ref as string)
    }
    return current
  }

  /** OpenAPI schema → JSON Schema ajv accepts; records every format used. */
  private toJsonSchema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.toJsonSchema(n))
    if (!isObject(node)) return node
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(node)) {
      if (OPENAPI_ONLY_KEYWORDS.has(key) || key.startsWith('x-')) continue
      if (key === '$ref' && typeof value === 'string')
        out.$ref = value.startsWith(LOCAL_COMPONENT_REF) ? COMPONENT_BASE + encodeURIComponent(value.slice(LOCAL_COMPONENT_REF.length)) : value
      else if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions')
        out[key] = Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, this.toJsonSchema(v)]))
      else if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples' || key === 'required') out[key] = value
      else out[key] = this.toJsonSchema(value)
    }
    if (typeof out.format === 'string') this.formats.add(out.format)
    if (this.is31) return out
    // OpenAPI 3.0 only.
    for (const bound of ['Minimum', 'Maximum'] as const) {
      const exclusive = `exclusive${bound}`
      if (typeof out[exclusive] === 'boolean') {
        if (out[exclusive]) out[exclusive] = out[bound.toLowerCase()]
        else delete out[exclusive]
        if (out[exclusive] !== undefined) delete out[bound.toLowerCase()]
      }
    }
    if (out.nullable === true) {
      delete out.nullable
      if (typeof out.type === 'string') {
        out.type = [out.type, 'null']
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
        return out
      }
      return { anyOf: [out, { type: 'null' }] }
    }
    delete out.nullable
    return out
  }

  /**
   * GitHub ignores body properties its description does not declare, so a misspelt field would
   * silently do nothing. Every declared object counts as closed unless it says otherwise
   * (additionalProperties, or no properties at all).
   */
  private undeclaredProperties(schema: unknown, value: unknown, at: string): string[] {
    const errors: string[] = []
    const visit = (node: unknown, v: unknown, where: string, depth: number) => {
      if (depth > 30) return
      const s = this.resolve(node)
      if (!isObject(s)) return
      if (Array.isArray(v)) {
        if (s.items !== undefined) v.forEach((item, i) => visit(s.items, item, `${where}/${i}`, depth + 1))
        return
      }
      if (!isObject(v)) return
      const declared = new Map<string, unknown>()
      let open = false
      const collect = (n: unknown, isBranch: boolean) => {
        const b = this.resolve(n)
        if (!isObject(b)) return
        if (!isBranch && b.additionalProperties !== undefined && b.additionalProperties !== false) open = true
        if (isObject(b.properties)) for (const [k, p] of Object.entries(b.properties)) if (!declared.has(k)) declared.set(k, p)
        for (const c of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(b[c])) for (const branch of b[c] as unknown[]) collect(branch, true)
      }
      collect(s, false)
      if (declared.size === 0) return
      for (const [k, child] of Object.entries(v)) {
        if (declared.has(k)) visit(declared.get(k), child, `${where}/${k}`, depth + 1)
        else if (!open) errors.push(`${at} ${where || '/'}: property "${k}" is not declared (GitHub would ignore it)`)
      }
    }
    visit(schema, value, '', 0)
    return errors
  }

  /** The smallest value the schema accepts: required properties only, empty arrays, nulls where allowed. */
  private sample(node: unknown, depth: number): unknown {
    const s = this.resolve(node)
    if (!isObject(s) || depth > 12) return {}
    if (s.nullable === true) return null
    if (Array.isArray(s.enum)) return s.enum[0]
    if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((b) => this.sample(b, depth + 1)))
    for (const c of ['oneOf', 'anyOf'] as const) if (Array.isArray(s[c])) return this.sample(s[c][0], depth + 1)
    const type = Array.isArray(s.type) ? (s.type.includes('null') ? 'null' : s.type[0]) : s.type
    switch (type) {
      case 'null':
        return null
      case 'array':
        return []
      case 'string':
        return s.format === 'date-time' ? '2026-01-01T00:00:00Z' : s.format === 'uri' ? 'https://example.invalid/' : s.format === 'email' ? 'a@example.invalid' : ''
      case 'integer':
      case 'number':
        return typeof s.minimum === 'number' ? s.minimum : 0
      case 'boolean':
        return false
      default: {
        const required = (s.required as string[] | undefined) ?? []
        const properties = (s.properties as JsonObject | undefined) ?? {}
        return Object.fromEntries(required.map((k) => [k, this.sample(properties[k], depth + 1)]))
      }
    }
  }
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const params = e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}` : ''
    return `${where} ${e.instancePath || '/'}: ${e.message ?? e.keyword}${params}`
  })
}

function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`)
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!isObject(node) || !(key in node)) throw new Error(`$ref ${ref} points nowhere`)
    node = node[key]
  }
  return node
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
