/**
 * Deterministic source mutations of real .proto files for the differential corpus tests. Each
 * mutation edits the text at spans the parser reports, so it hits exactly one declaration.
 */
import { forEachMessage, parseFile, SCALAR_TYPES, type EnumDecl, type FieldDecl, type MessageDecl, type MethodDecl, type ProtoFile } from '../../../src/contract/proto/index.js'

/** mulberry32: a small seeded PRNG, so a seed always gives the same mutations. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(rand: () => number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rand() * items.length)]
}

export const BREAKING_KINDS = [
  'delete-field',
  'retype-field',
  'renumber-field',
  'rename-field',
  'json-name',
  'delete-enum-value',
  'rename-enum-value',
  'delete-rpc',
  'flip-streaming',
  'request-type',
  'package',
  'file-option',
  'message-to-enum'
] as const
export const ADDITION_KINDS = ['add-field', 'add-message', 'add-rpc', 'add-enum-value', 'add-comment'] as const
export type MutationKind = (typeof BREAKING_KINDS)[number] | (typeof ADDITION_KINDS)[number]

export interface Mutation {
  kind: MutationKind
  path: string
  /** What was changed, for failure messages. */
  what: string
  text: string
}

interface Edit {
  start: number
  end: number
  insert: string
  what: string
}

/** Apply one mutation of `kind` to `text`, or undefined when the file has nothing to mutate that way. */
export function mutate(path: string, text: string, kind: MutationKind, rand: () => number): Mutation | undefined {
  let file: ProtoFile
  try {
    file = parseFile(path, text)
  } catch {
    return undefined
  }
  const edit = planEdit(file, text, kind, rand)
  if (!edit) return undefined
  return { kind, path, what: edit.what, text: text.slice(0, edit.start) + edit.insert + text.slice(edit.end) }
}

function messagesOf(file: ProtoFile): MessageDecl[] {
  const all: MessageDecl[] = []
  forEachMessage(file, (message) => {
    if (!message.synthetic) all.push(message)
  })
  return all
}

function fieldsOf(file: ProtoFile): FieldDecl[] {
  return messagesOf(file).flatMap((message) => message.fields.filter((field) => !field.synthetic))
}

function enumsOf(file: ProtoFile): EnumDecl[] {
  return [...file.enums, ...messagesOf(file).flatMap((message) => message.enums)]
}

function methodsOf(file: ProtoFile): MethodDecl[] {
  return file.services.flatMap((service) => service.methods)
}

/** A field number the message does not use or reserve. */
function freeNumber(message: MessageDecl): number {
  let number = Math.max(0, ...message.fields.map((field) => field.number)) + 1
  const taken = (n: number) =>
    message.fields.some((field) => field.number === n) ||
    message.reservedRanges.some((range) => n >= range.start && n <= range.end) ||
    message.extensionRanges.some((range) => n >= range.start && n <= range.end) ||
    (n >= 19000 && n <= 19999)
  while (taken(number)) number++
  return number
}

const RETYPE: Record<string, string> = {
  int32: 'int64',
  int64: 'int32',
  uint32: 'sint32',
  uint64: 'fixed64',
  string: 'bytes',
  bytes: 'string',
  bool: 'int32',
  double: 'float',
  float: 'double',
  sint64: 'sfixed64',
  fixed32: 'uint32'
}

function planEdit(file: ProtoFile, text: string, kind: MutationKind, rand: () => number): Edit | undefined {
  switch (kind) {
    case 'delete-field': {
      const field = pick(rand, fieldsOf(file))
      return field && { start: field.span.start, end: field.span.end, insert: '', what: `delete field ${field.fullName}` }
    }
    case 'retype-field': {
      const field = pick(rand, fieldsOf(file).filter((f) => !f.mapEntry && !f.group))
      if (!field) return undefined
      const to = SCALAR_TYPES.has(field.typeName) ? RETYPE[field.typeName] ?? 'string' : 'string'
      return { start: field.typeSpan.start, end: field.typeSpan.end, insert: to, what: `retype ${field.fullName} ${field.typeName} → ${to}` }
    }
    case 'renumber-field': {
      const field = pick(rand, fieldsOf(file))
      if (!field?.parent) return undefined
      const number = freeNumber(field.parent)
      return { start: field.numberSpan.start, end: field.numberSpan.end, insert: String(number), what: `renumber ${field.fullName} → ${number}` }
    }
    case 'rename-field': {
      const field = pick(rand, fieldsOf(file).filter((f) => !f.group))
      return field && { start: field.nameSpan.start, end: field.nameSpan.end, insert: field.name + '_renamed', what: `rename ${field.fullName}` }
    }
    case 'json-name': {
      const field = pick(rand, fieldsOf(file).filter((f) => !f.group && !f.option('json_name')))
      if (!field) return undefined
      const semicolon = field.span.end - 1
      const options = field.optionsSpan
      return options
        ? { start: options.start + 1, end: options.start + 1, insert: 'json_name = "customJson", ', what: `json_name on ${field.fullName}` }
        : { start: semicolon, end: semicolon, insert: ' [json_name = "customJson"]', what: `json_name on ${field.fullName}` }
    }
    case 'delete-enum-value': {
      const value = pick(rand, enumsOf(file).flatMap((e) => e.values.slice(1)))
      return value && { start: value.span.start, end: value.span.end, insert: '', what: `delete enum value ${value.fullName}` }
    }
    case 'rename-enum-value': {
      const value = pick(rand, enumsOf(file).flatMap((e) => e.values))
      return value && { start: value.nameSpan.start, end: value.nameSpan.end, insert: value.name + '_RENAMED', what: `rename enum value ${value.fullName}` }
    }
    case 'delete-rpc': {
      const method = pick(rand, methodsOf(file))
      return method && { start: method.span.start, end: method.span.end, insert: '', what: `delete rpc ${method.fullName}` }
    }
    case 'flip-streaming': {
      const method = pick(rand, methodsOf(file))
      if (!method) return undefined
      if (method.serverStreamSpan) return { start: method.serverStreamSpan.start, end: method.outputTypeSpan.start, insert: '', what: `server unary ${method.fullName}` }
      return { start: method.inputTypeSpan.start, end: method.inputTypeSpan.start, insert: 'stream ', what: `client streaming ${method.fullName}` }
    }
    case 'request-type': {
      const method = pick(rand, methodsOf(file).filter((m) => m.inputType !== m.outputType))
      return method && { start: method.inputTypeSpan.start, end: method.inputTypeSpan.end, insert: method.outputType, what: `request type of ${method.fullName}` }
    }
    case 'package': {
      const decl = file.packageDecl
      return decl && { start: decl.nameSpan.end, end: decl.nameSpan.end, insert: 'x', what: `package ${decl.name} → ${decl.name}x` }
    }
    case 'file-option': {
      const option = pick(rand, ['go_package', 'java_package', 'java_outer_classname', 'csharp_namespace', 'php_namespace', 'objc_class_prefix'].flatMap((name) => file.option(name) ?? []))
      if (option) {
        const value = option.value.span
        return { start: value.end - 1, end: value.end - 1, insert: 'X', what: `option ${option.nameText}` }
      }
      const at = file.packageDecl?.span.end ?? 0
      return { start: at, end: at, insert: '\noption java_multiple_files = true;', what: 'add java_multiple_files' }
    }
    case 'message-to-enum': {
      // Not an rpc's request or response (an enum cannot be one); fields that use it become enum fields.
      const rpcTypes = new Set(methodsOf(file).flatMap((m) => [m.inputType, m.outputType].map((t) => t.slice(t.lastIndexOf('.') + 1))))
      const message = pick(rand, file.messages.filter((m) => m.messages.length === 0 && m.enums.length === 0 && !rpcTypes.has(m.name)))
      return (
        message && {
          start: message.span.start,
          end: message.span.end,
          insert: `enum ${message.name} { ${upperSnake(message.name)}_UNSPECIFIED = 0; }`,
          what: `message ${message.fullName} → enum`
        }
      )
    }
    case 'add-field': {
      const message = pick(rand, messagesOf(file))
      if (!message) return undefined
      const close = message.span.end - 1
      const optional = file.syntax === 'proto2' ? 'optional ' : ''
      return { start: close, end: close, insert: `  ${optional}string added_field = ${freeNumber(message)};\n`, what: `add field to ${message.fullName}` }
    }
    case 'add-message':
      return { start: text.length, end: text.length, insert: '\nmessage AddedByMutation {\n  string note = 1;\n}\n', what: 'add message' }
    case 'add-rpc': {
      const method = pick(rand, methodsOf(file))
      if (!method) return undefined
      const close = method.parent.span.end - 1
      return { start: close, end: close, insert: `  rpc AddedByMutation(${method.inputType}) returns (${method.outputType});\n`, what: `add rpc to ${method.parent.fullName}` }
    }
    case 'add-enum-value': {
      const target = pick(rand, enumsOf(file).filter((e) => e.values.length > 0))
      if (!target) return undefined
      const close = target.span.end - 1
      const number = Math.max(...target.values.map((v) => v.number)) + 1
      if (number > 2147483647 || target.reservedRanges.some((r) => number >= r.start && number <= r.end)) return undefined
      return { start: close, end: close, insert: `  ${upperSnake(target.name)}_ADDED_BY_MUTATION = ${number};\n`, what: `add value to ${target.fullName}` }
    }
    case 'add-comment': {
      const message = pick(rand, file.messages)
      return message && { start: message.span.start, end: message.span.start, insert: '// A comment added by a mutation.\n', what: `comment before ${message.fullName}` }
    }
  }
}

function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}
