/**
 * The view of a compiled Protobuf file set that the breaking rules read. It mirrors what buf's
 * rules see (descriptor values plus the source location of each descriptor path), with the
 * editions features already resolved, so every rule is a plain comparison of two such views.
 * Builders: `fromDescriptors` (descriptor-shaped input, e.g. a buf image) and the proto front
 * end adapter in source/.
 */

/** 1-based, end exclusive, columns in buf's terminal cells. */
export interface Loc {
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** protoreflect.Kind names, which buf prints in its messages. */
export type FieldType =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'group' | 'message' | 'bytes' | 'uint32' | 'enum' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64'

export type Label = 'optional' | 'required' | 'repeated'
export type Syntax = 'proto2' | 'proto3' | 'editions'
export type JsonFormat = 'ALLOW' | 'LEGACY_BEST_EFFORT'
export type Utf8Validation = 'VERIFY' | 'NONE'
export type CppStringType = 'STRING' | 'CORD' | 'VIEW'
export type CType = 'STRING' | 'CORD' | 'STRING_PIECE'
export type JsType = 'JS_NORMAL' | 'JS_STRING' | 'JS_NUMBER'
export type IdempotencyLevel = 'IDEMPOTENCY_UNKNOWN' | 'NO_SIDE_EFFECTS' | 'IDEMPOTENT'
export type OptimizeMode = 'SPEED' | 'CODE_SIZE' | 'LITE_RUNTIME'

/** The file options buf's FILE_SAME_* rules compare, by their descriptor.proto names. */
export const FILE_OPTION_NUMBERS = {
  java_package: 1,
  java_outer_classname: 8,
  optimize_for: 9,
  java_multiple_files: 10,
  go_package: 11,
  cc_generic_services: 16,
  java_generic_services: 17,
  py_generic_services: 18,
  java_string_check_utf8: 27,
  cc_enable_arenas: 31,
  objc_class_prefix: 36,
  csharp_namespace: 37,
  swift_prefix: 39,
  php_class_prefix: 40,
  php_namespace: 41,
  php_metadata_namespace: 44,
  ruby_package: 45
} as const
export type FileOptionName = keyof typeof FILE_OPTION_NUMBERS

export interface FileOptions {
  java_package?: string
  java_outer_classname?: string
  optimize_for?: OptimizeMode
  java_multiple_files?: boolean
  go_package?: string
  cc_generic_services?: boolean
  java_generic_services?: boolean
  py_generic_services?: boolean
  java_string_check_utf8?: boolean
  cc_enable_arenas?: boolean
  objc_class_prefix?: string
  csharp_namespace?: string
  swift_prefix?: string
  php_class_prefix?: string
  php_namespace?: string
  php_metadata_namespace?: string
  ruby_package?: string
}

export interface ProtoFile {
  /** Module-relative path with forward slashes, e.g. `acme/pet/v1/pet.proto`. */
  path: string
  package: string
  /** A file without a syntax statement is proto2 (buf treats both the same for FILE_SAME_SYNTAX). */
  syntax: Syntax
  /** Only for editions files, e.g. `2023`. */
  edition?: string
  /** Not part of the module (a well-known type or another dependency). */
  isImport: boolean
  imports: string[]
  options: FileOptions
  messages: ProtoMessage[]
  enums: ProtoEnum[]
  services: ProtoService[]
  /** Extensions declared at file level (nested ones live on their message). */
  extensions: ProtoField[]
  locs: {
    package?: Loc
    syntax?: Loc
    options: Partial<Record<FileOptionName, Loc>>
  }
}

/** Inclusive on both ends (buf's TagRange view). */
export interface TagRange {
  start: number
  end: number
}

export interface ProtoMessage {
  name: string
  /** Without a leading dot, e.g. `acme.v1.Pet.Inner`. */
  fullName: string
  /** Name inside the file, e.g. `Pet.Inner`. */
  nestedName: string
  file: ProtoFile
  parent?: ProtoMessage
  fields: ProtoField[]
  oneofs: ProtoOneof[]
  messages: ProtoMessage[]
  enums: ProtoEnum[]
  /** Extensions declared inside this message's body. */
  extensions: ProtoField[]
  reservedRanges: TagRange[]
  reservedNames: string[]
  extensionRanges: TagRange[]
  mapEntry: boolean
  messageSetWireFormat: boolean
  noStandardDescriptorAccessor: boolean
  jsonFormat: JsonFormat
  locs: {
    /** The whole declaration; for a synthetic map entry, the map field's type (as buf reports it). */
    self?: Loc
    noStandardDescriptorAccessor?: Loc
    /** Only when this message sets features.json_format itself. */
    jsonFormat?: Loc
  }
}

export interface ProtoOneof {
  name: string
  /** The oneof protoc synthesizes for a proto3 `optional` field. */
  synthetic: boolean
}

export interface ProtoField {
  name: string
  number: number
  /** The descriptor label; an editions LEGACY_REQUIRED field keeps `optional` here. */
  label: Label
  /** The descriptor type as written (`group` only for proto2 groups). */
  type: FieldType
  /** The resolved kind: `group` also for editions fields with DELIMITED message encoding. */
  kind: FieldType
  /** With a leading dot, for message, enum and group fields. */
  typeName?: string
  /** The extended message without a leading dot; set only on extensions. */
  extendee?: string
  fullName: string
  nestedName: string
  file: ProtoFile
  /** The message that declares the field (for an extension, the message it is nested in, if any). */
  message?: ProtoMessage
  oneof?: ProtoOneof
  /** The effective JSON name (explicit json_name or the default lowerCamel name). */
  jsonName: string
  jstype: JsType
  /** Set only when the ctype option is written. */
  ctype?: CType
  /** (pb.cpp).string_type after feature resolution. */
  cppStringType: CppStringType
  /** features.utf8_validation after resolution. */
  utf8Validation: Utf8Validation
  /** (pb.java).utf8_validation after resolution: VERIFY or DEFAULT. */
  javaUtf8Validation: 'VERIFY' | 'DEFAULT'
  /** descriptor default_value text, when a default is written. */
  defaultValue?: string
  hasPresence: boolean
  isMap: boolean
  isList: boolean
  /** Cardinality required: label required or features.field_presence = LEGACY_REQUIRED. */
  isRequired: boolean
  /** The resolved enum of an enum field (for defaults and enum compatibility). */
  enumType?: ProtoEnum
  locs: {
    self?: Loc
    name?: Loc
    type?: Loc
    typeName?: Loc
    jsonName?: Loc
    default?: Loc
    ctype?: Loc
    jstype?: Loc
    utf8Validation?: Loc
    cppStringType?: Loc
    javaUtf8Validation?: Loc
  }
}

export interface ProtoEnum {
  name: string
  fullName: string
  nestedName: string
  file: ProtoFile
  parent?: ProtoMessage
  values: ProtoEnumValue[]
  reservedRanges: TagRange[]
  reservedNames: string[]
  closed: boolean
  jsonFormat: JsonFormat
  locs: {
    self?: Loc
    enumType?: Loc
    jsonFormat?: Loc
  }
}

export interface ProtoEnumValue {
  name: string
  number: number
  enum: ProtoEnum
  locs: { self?: Loc; number?: Loc }
}

export interface ProtoService {
  name: string
  fullName: string
  file: ProtoFile
  methods: ProtoMethod[]
  locs: { self?: Loc }
}

export interface ProtoMethod {
  name: string
  service: ProtoService
  /** Without a leading dot. */
  inputType: string
  outputType: string
  clientStreaming: boolean
  serverStreaming: boolean
  idempotencyLevel: IdempotencyLevel
  locs: { self?: Loc; inputType?: Loc; outputType?: Loc; idempotencyLevel?: Loc }
}

const messageLists = new WeakMap<object, ProtoMessage[]>()
const enumLists = new WeakMap<ProtoFile, ProtoEnum[]>()
const extensionLists = new WeakMap<ProtoFile, ProtoField[]>()

/** Every message of a file or message, depth first, parents before children (buf's ForEachMessage). */
export function allMessages(container: ProtoFile | ProtoMessage): ProtoMessage[] {
  let list = messageLists.get(container)
  if (!list) {
    list = []
    collectMessages(container.messages, list)
    messageLists.set(container, list)
  }
  return list
}

function collectMessages(messages: readonly ProtoMessage[], into: ProtoMessage[]): void {
  for (const message of messages) {
    into.push(message)
    collectMessages(message.messages, into)
  }
}

/** Every enum of a file, including nested ones. */
export function allEnums(file: ProtoFile): ProtoEnum[] {
  let list = enumLists.get(file)
  if (!list) {
    list = [...file.enums]
    for (const message of allMessages(file)) list.push(...message.enums)
    enumLists.set(file, list)
  }
  return list
}

/** Every extension of a file, including those nested in messages. */
export function allExtensions(file: ProtoFile): ProtoField[] {
  let list = extensionLists.get(file)
  if (!list) {
    list = [...file.extensions]
    for (const message of allMessages(file)) list.push(...message.extensions)
    extensionLists.set(file, list)
  }
  return list
}
