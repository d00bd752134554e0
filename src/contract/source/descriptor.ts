/**
 * Descriptor-shaped input (FileDescriptorProto in protojson field names, as buf images carry
 * them) plus optional source locations, and the step that turns a set of such files into the
 * breaking model: type references resolved across the set, map entries recognised, and
 * editions features resolved.
 */

import { defaultJsonName } from '../proto/names.js'
import {
  asCppStringType,
  asJsonFormat,
  asUtf8Validation,
  editionKey,
  resolveFeature,
  type EditionKey,
  type FeatureValues
} from '../rules/breaking/features.js'
import type {
  CType,
  FieldType,
  FileOptionName,
  FileOptions,
  IdempotencyLevel,
  JsType,
  Label,
  Loc,
  ProtoEnum,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoMethod,
  ProtoOneof,
  ProtoService,
  Syntax,
  TagRange
} from '../rules/breaking/model.js'

/** FeatureSet in protojson form; custom features under their extension names. */
export interface DescFeatures {
  fieldPresence?: string
  enumType?: string
  utf8Validation?: string
  messageEncoding?: string
  jsonFormat?: string
  '[pb.cpp]'?: { stringType?: string }
  '[pb.java]'?: { utf8Validation?: string }
}

export interface DescFile {
  name: string
  package?: string
  dependency?: string[]
  syntax?: string
  /** e.g. `EDITION_2023`. */
  edition?: string
  messageType?: DescMessage[]
  enumType?: DescEnum[]
  service?: DescService[]
  extension?: DescField[]
  options?: Record<string, unknown> & { features?: DescFeatures }
  isImport?: boolean
  locs?: ProtoFile['locs']
}

export interface DescMessage {
  name: string
  field?: DescField[]
  nestedType?: DescMessage[]
  enumType?: DescEnum[]
  extension?: DescField[]
  oneofDecl?: { name: string; options?: { features?: DescFeatures } }[]
  /** End exclusive, as in descriptor.proto. */
  extensionRange?: { start: number; end: number }[]
  reservedRange?: { start: number; end: number }[]
  reservedName?: string[]
  options?: { mapEntry?: boolean; messageSetWireFormat?: boolean; noStandardDescriptorAccessor?: boolean; features?: DescFeatures }
  locs?: ProtoMessage['locs']
}

export interface DescField {
  name: string
  number: number
  label?: string
  type?: string
  typeName?: string
  extendee?: string
  defaultValue?: string
  oneofIndex?: number
  jsonName?: string
  proto3Optional?: boolean
  options?: { ctype?: string; jstype?: string; features?: DescFeatures }
  locs?: ProtoField['locs']
}

export interface DescEnum {
  name: string
  value?: { name: string; number: number; locs?: { self?: Loc; number?: Loc } }[]
  /** End inclusive, as in descriptor.proto for enums. */
  reservedRange?: { start: number; end: number }[]
  reservedName?: string[]
  options?: { features?: DescFeatures }
  locs?: ProtoEnum['locs']
}

export interface DescService {
  name: string
  method?: DescMethod[]
  locs?: ProtoService['locs']
}

export interface DescMethod {
  name: string
  inputType: string
  outputType: string
  clientStreaming?: boolean
  serverStreaming?: boolean
  options?: { idempotencyLevel?: string }
  locs?: ProtoMethod['locs']
}

const FILE_OPTION_JSON_NAMES: Record<FileOptionName, string> = {
  java_package: 'javaPackage',
  java_outer_classname: 'javaOuterClassname',
  optimize_for: 'optimizeFor',
  java_multiple_files: 'javaMultipleFiles',
  go_package: 'goPackage',
  cc_generic_services: 'ccGenericServices',
  java_generic_services: 'javaGenericServices',
  py_generic_services: 'pyGenericServices',
  java_string_check_utf8: 'javaStringCheckUtf8',
  cc_enable_arenas: 'ccEnableArenas',
  objc_class_prefix: 'objcClassPrefix',
  csharp_namespace: 'csharpNamespace',
  swift_prefix: 'swiftPrefix',
  php_class_prefix: 'phpClassPrefix',
  php_namespace: 'phpNamespace',
  php_metadata_namespace: 'phpMetadataNamespace',
  ruby_package: 'rubyPackage'
}

function featureValues(features: DescFeatures | undefined): FeatureValues | undefined {
  if (!features) return undefined
  return {
    field_presence: features.fieldPresence,
    enum_type: features.enumType,
    utf8_validation: features.utf8Validation,
    message_encoding: features.messageEncoding,
    json_format: features.jsonFormat,
    cpp_string_type: features['[pb.cpp]']?.stringType,
    java_utf8_validation: features['[pb.java]']?.utf8Validation
  }
}

const TYPE_NAMES: Record<string, FieldType> = {
  TYPE_DOUBLE: 'double',
  TYPE_FLOAT: 'float',
  TYPE_INT64: 'int64',
  TYPE_UINT64: 'uint64',
  TYPE_INT32: 'int32',
  TYPE_FIXED64: 'fixed64',
  TYPE_FIXED32: 'fixed32',
  TYPE_BOOL: 'bool',
  TYPE_STRING: 'string',
  TYPE_GROUP: 'group',
  TYPE_MESSAGE: 'message',
  TYPE_BYTES: 'bytes',
  TYPE_UINT32: 'uint32',
  TYPE_ENUM: 'enum',
  TYPE_SFIXED32: 'sfixed32',
  TYPE_SFIXED64: 'sfixed64',
  TYPE_SINT32: 'sint32',
  TYPE_SINT64: 'sint64'
}

interface Pending {
  field: ProtoField
  chain: (FeatureValues | undefined)[]
  edition: EditionKey
}

/**
 * Build the model of every file in `descriptors`. Type names must be fully qualified (leading
 * dot) and every referenced type must be defined in the set.
 */
export function buildFiles(descriptors: readonly DescFile[]): ProtoFile[] {
  const messages = new Map<string, ProtoMessage>()
  const enums = new Map<string, ProtoEnum>()
  const pending: Pending[] = []
  const files = descriptors.map((desc) => buildFile(desc, messages, enums, pending))
  for (const entry of pending) resolveField(entry, messages, enums)
  // A map entry has no source location of its own: buf reports the map field's type instead.
  for (const message of messages.values()) {
    if (!message.mapEntry || message.locs.self || !message.parent) continue
    const mapField = message.parent.fields.find((field) => field.typeName === '.' + message.fullName)
    if (!mapField) continue
    message.locs.self = mapField.locs.typeName
    for (const field of message.fields) {
      field.locs.self ??= message.locs.self
      field.locs.name ??= message.locs.self
      field.locs.type ??= message.locs.self
      field.locs.typeName ??= message.locs.self
    }
  }
  return files
}

function buildFile(desc: DescFile, messages: Map<string, ProtoMessage>, enums: Map<string, ProtoEnum>, pending: Pending[]): ProtoFile {
  const syntax: Syntax = desc.syntax === 'proto3' ? 'proto3' : desc.syntax === 'editions' ? 'editions' : 'proto2'
  const edition = syntax === 'editions' ? (desc.edition ?? 'EDITION_2023').replace(/^EDITION_/, '') : undefined
  const key = editionKey(syntax, edition)
  const options: FileOptions = {}
  for (const [name, jsonName] of Object.entries(FILE_OPTION_JSON_NAMES) as [FileOptionName, string][]) {
    const value = desc.options?.[jsonName]
    if (value !== undefined) (options as Record<string, unknown>)[name] = value
  }
  const file: ProtoFile = {
    path: desc.name,
    package: desc.package ?? '',
    syntax,
    ...(edition !== undefined ? { edition } : {}),
    isImport: desc.isImport === true,
    imports: desc.dependency ?? [],
    options,
    messages: [],
    enums: [],
    services: [],
    extensions: [],
    locs: desc.locs ?? { options: {} }
  }
  const fileFeatures = featureValues(desc.options?.features)
  const prefix = file.package ? file.package + '.' : ''
  const scope = { file, key, prefix, messages, enums, pending }
  file.enums = (desc.enumType ?? []).map((e) => buildEnum(e, scope, undefined, [fileFeatures]))
  file.messages = (desc.messageType ?? []).map((m) => buildMessage(m, scope, undefined, [fileFeatures]))
  file.extensions = (desc.extension ?? []).map((f) => buildField(f, scope, undefined, undefined, [fileFeatures]))
  file.services = (desc.service ?? []).map((s) => buildService(s, file, prefix))
  return file
}

interface Scope {
  file: ProtoFile
  key: EditionKey
  prefix: string
  messages: Map<string, ProtoMessage>
  enums: Map<string, ProtoEnum>
  pending: Pending[]
}

function buildMessage(desc: DescMessage, scope: Scope, parent: ProtoMessage | undefined, outer: (FeatureValues | undefined)[]): ProtoMessage {
  const nestedName = parent ? `${parent.nestedName}.${desc.name}` : desc.name
  const chain = [featureValues(desc.options?.features), ...outer]
  const message: ProtoMessage = {
    name: desc.name,
    fullName: scope.prefix + nestedName,
    nestedName,
    file: scope.file,
    ...(parent ? { parent } : {}),
    fields: [],
    oneofs: [],
    messages: [],
    enums: [],
    extensions: [],
    reservedRanges: (desc.reservedRange ?? []).map((range) => ({ start: range.start, end: range.end - 1 })),
    reservedNames: desc.reservedName ?? [],
    extensionRanges: (desc.extensionRange ?? []).map((range) => ({ start: range.start, end: range.end - 1 })),
    mapEntry: desc.options?.mapEntry === true,
    messageSetWireFormat: desc.options?.messageSetWireFormat === true,
    noStandardDescriptorAccessor: desc.options?.noStandardDescriptorAccessor === true,
    jsonFormat: asJsonFormat(resolveFeature(scope.key, 'json_format', chain)),
    locs: desc.locs ?? {}
  }
  scope.messages.set(message.fullName, message)
  const oneofFeatures = (desc.oneofDecl ?? []).map((oneof) => featureValues(oneof.options?.features))
  const syntheticOneofs = new Set((desc.field ?? []).filter((f) => f.proto3Optional && f.oneofIndex !== undefined).map((f) => f.oneofIndex!))
  message.oneofs = (desc.oneofDecl ?? []).map((oneof, index): ProtoOneof => ({ name: oneof.name, synthetic: syntheticOneofs.has(index) }))
  message.enums = (desc.enumType ?? []).map((e) => buildEnum(e, scope, message, chain))
  message.messages = (desc.nestedType ?? []).map((m) => buildMessage(m, scope, message, chain))
  message.fields = (desc.field ?? []).map((f) => {
    const oneof = f.oneofIndex !== undefined ? message.oneofs[f.oneofIndex] : undefined
    const fieldChain = f.oneofIndex !== undefined ? [oneofFeatures[f.oneofIndex], ...chain] : chain
    return buildField(f, scope, message, oneof, fieldChain)
  })
  message.extensions = (desc.extension ?? []).map((f) => buildField(f, scope, message, undefined, chain))
  return message
}

function buildEnum(desc: DescEnum, scope: Scope, parent: ProtoMessage | undefined, outer: (FeatureValues | undefined)[]): ProtoEnum {
  const nestedName = parent ? `${parent.nestedName}.${desc.name}` : desc.name
  const chain = [featureValues(desc.options?.features), ...outer]
  const enumType: ProtoEnum = {
    name: desc.name,
    fullName: scope.prefix + nestedName,
    nestedName,
    file: scope.file,
    ...(parent ? { parent } : {}),
    values: [],
    reservedRanges: (desc.reservedRange ?? []).map((range): TagRange => ({ start: range.start, end: range.end })),
    reservedNames: desc.reservedName ?? [],
    closed: resolveFeature(scope.key, 'enum_type', chain) === 'CLOSED',
    jsonFormat: asJsonFormat(resolveFeature(scope.key, 'json_format', chain)),
    locs: desc.locs ?? {}
  }
  enumType.values = (desc.value ?? []).map((value) => ({ name: value.name, number: value.number, enum: enumType, locs: value.locs ?? {} }))
  scope.enums.set(enumType.fullName, enumType)
  return enumType
}

function buildField(
  desc: DescField,
  scope: Scope,
  message: ProtoMessage | undefined,
  oneof: ProtoOneof | undefined,
  outer: (FeatureValues | undefined)[]
): ProtoField {
  const chain = [featureValues(desc.options?.features), ...outer]
  const type = TYPE_NAMES[desc.type ?? ''] ?? 'message'
  const label: Label = desc.label === 'LABEL_REQUIRED' ? 'required' : desc.label === 'LABEL_REPEATED' ? 'repeated' : 'optional'
  const nestedName = desc.extendee !== undefined && message ? `${message.nestedName}.${desc.name}` : desc.name
  const field: ProtoField = {
    name: desc.name,
    number: desc.number,
    label,
    type,
    kind: type,
    ...(desc.typeName !== undefined ? { typeName: desc.typeName } : {}),
    ...(desc.extendee !== undefined ? { extendee: desc.extendee.replace(/^\./, '') } : {}),
    fullName: desc.extendee !== undefined ? scope.prefix + nestedName : `${message?.fullName ?? ''}.${desc.name}`,
    nestedName: desc.extendee !== undefined ? nestedName : `${message?.nestedName ?? ''}.${desc.name}`,
    file: scope.file,
    ...(message ? { message } : {}),
    ...(oneof ? { oneof } : {}),
    jsonName: desc.jsonName ?? defaultJsonName(desc.name),
    jstype: (desc.options?.jstype as JsType | undefined) ?? 'JS_NORMAL',
    ...(desc.options?.ctype !== undefined ? { ctype: desc.options.ctype as CType } : {}),
    cppStringType: asCppStringType(resolveFeature(scope.key, 'cpp_string_type', chain)),
    utf8Validation: asUtf8Validation(resolveFeature(scope.key, 'utf8_validation', chain)),
    javaUtf8Validation: resolveFeature(scope.key, 'java_utf8_validation', chain) === 'VERIFY' ? 'VERIFY' : 'DEFAULT',
    ...(desc.defaultValue !== undefined ? { defaultValue: desc.defaultValue } : {}),
    hasPresence: false,
    isMap: false,
    isList: false,
    isRequired: label === 'required',
    locs: desc.locs ?? {}
  }
  scope.pending.push({ field, chain, edition: scope.key })
  return field
}

/** Things that need the whole set: what a type name refers to, and what follows from it. */
function resolveField(entry: Pending, messages: Map<string, ProtoMessage>, enums: Map<string, ProtoEnum>): void {
  const { field, chain, edition } = entry
  const target = field.typeName?.replace(/^\./, '')
  if (field.type === 'enum' && target !== undefined) {
    const enumType = enums.get(target)
    if (enumType) field.enumType = enumType
  }
  const targetMessage = target !== undefined && (field.type === 'message' || field.type === 'group') ? messages.get(target) : undefined
  field.isMap = field.label === 'repeated' && field.type === 'message' && targetMessage?.mapEntry === true
  field.isList = field.label === 'repeated' && !field.isMap
  if (field.type === 'message' && !field.isMap && resolveFeature(edition, 'message_encoding', chain) === 'DELIMITED') field.kind = 'group'
  const presence = resolveFeature(edition, 'field_presence', chain)
  if (field.file.syntax === 'editions' && presence === 'LEGACY_REQUIRED') field.isRequired = true
  field.hasPresence =
    field.label !== 'repeated' &&
    (field.extendee !== undefined || field.kind === 'message' || field.kind === 'group' || field.oneof !== undefined || presence !== 'IMPLICIT')
}

function buildService(desc: DescService, file: ProtoFile, prefix: string): ProtoService {
  const service: ProtoService = { name: desc.name, fullName: prefix + desc.name, file, methods: [], locs: desc.locs ?? {} }
  service.methods = (desc.method ?? []).map(
    (method): ProtoMethod => ({
      name: method.name,
      service,
      inputType: method.inputType.replace(/^\./, ''),
      outputType: method.outputType.replace(/^\./, ''),
      clientStreaming: method.clientStreaming === true,
      serverStreaming: method.serverStreaming === true,
      idempotencyLevel: (method.options?.idempotencyLevel as IdempotencyLevel | undefined) ?? 'IDEMPOTENCY_UNKNOWN',
      locs: method.locs ?? {}
    })
  )
  return service
}

