/**
 * The syntax tree of one .proto file, shaped like descriptor.proto so rules written against
 * buf's descriptor-based checks map one to one: every list is in descriptor order (the index of
 * an element is its index in the FileDescriptorProto), synthetic elements (map entry messages,
 * group messages, proto3-optional oneofs) included and flagged.
 *
 * Every node has `span` (the whole declaration, as buf's SourceCodeInfo records it) and getters
 * for the spans of its parts (`nameSpan`, `numberSpan`, `typeSpan`, …). Nodes store offsets only;
 * a getter builds a fresh Span from the file's LineTable on each call. Empty lists are one
 * shared frozen array: read them, never mutate them. The tree has parent links and is therefore
 * cyclic. Fields marked "linker" are filled by `compile`; a tree from `parseFile` alone leaves
 * them at their defaults.
 */
import type { ResolvedFeatures } from './features.js'
import { defaultJsonName } from './names.js'
import type { LineTable, Span } from './span.js'

export type Syntax = 'proto2' | 'proto3' | 'editions'

/** The one empty list every node starts with. */
export const EMPTY: readonly never[] = Object.freeze([])

/** Appends to a node list, replacing the shared empty list on first use. */
export function append<T>(list: readonly T[], item: T): T[] {
  if (list === EMPTY) return [item]
  ;(list as T[]).push(item)
  return list as T[]
}

/**
 * The list with no spare capacity. Arrays grown by push keep room for ~16 more elements; the
 * parser trims each finished list so a corpus-sized tree does not carry that slack.
 */
export function exact<T>(list: readonly T[]): readonly T[] {
  return list.length < 2 ? list : list.slice()
}

export interface Comments {
  readonly leading?: string
  readonly trailing?: string
  readonly leadingDetached: readonly string[]
}

export const NO_COMMENTS: Comments = Object.freeze({ leadingDetached: EMPTY })

/** Something with a position in a file. Offsets are into the file text (UTF-16 units). */
export abstract class Node {
  readonly lines: LineTable
  spanStart: number
  spanEnd: number
  constructor(lines: LineTable, start: number, end: number) {
    this.lines = lines
    this.spanStart = start
    this.spanEnd = end
  }
  get span(): Span {
    return this.lines.span(this.spanStart, this.spanEnd)
  }
  /** The source text of the node. */
  get text(): string {
    return this.lines.text.slice(this.spanStart, this.spanEnd)
  }
}

/** `name` in the scope of `parent`, or of the file's package at top level. */
function scopedName(parent: MessageDecl | undefined, file: ProtoFile, name: string): string {
  if (parent) return parent.fullName + '.' + name
  const pkg = file.package
  return pkg === '' ? name : pkg + '.' + name
}

function optionalSpan(lines: LineTable, start: number, end: number): Span | undefined {
  return start < 0 ? undefined : lines.span(start, end)
}

// ---- option values ------------------------------------------------------------------------

/** `true`, `false`, `inf`, `nan`, enum value names; `-inf`/`-nan` have negative set. */
export class IdentifierValue extends Node {
  readonly kind = 'identifier'
  name: string
  negative: boolean
  constructor(lines: LineTable, start: number, end: number, name: string, negative: boolean) {
    super(lines, start, end)
    this.name = name
    this.negative = negative
  }
}
export class IntValue extends Node {
  readonly kind = 'int'
  /** Includes the sign. */
  value: bigint
  constructor(lines: LineTable, start: number, end: number, value: bigint) {
    super(lines, start, end)
    this.value = value
  }
}
export class FloatValue extends Node {
  readonly kind = 'float'
  value: number
  constructor(lines: LineTable, start: number, end: number, value: number) {
    super(lines, start, end)
    this.value = value
  }
}
export class StringValue extends Node {
  readonly kind = 'string'
  /** Decoded text; adjacent literals are concatenated; escaped bytes are decoded as UTF-8. */
  value: string
  /** The decoded bytes when they are not valid UTF-8 (bytes-typed options). */
  bytes: Uint8Array | undefined
  constructor(lines: LineTable, start: number, end: number, value: string, bytes: Uint8Array | undefined) {
    super(lines, start, end)
    this.value = value
    this.bytes = bytes
  }
}
/** A text-format message literal `{ … }` or `< … >`. */
export class MessageValue extends Node {
  readonly kind = 'message'
  fields: readonly MessageFieldValue[]
  constructor(lines: LineTable, start: number, end: number, fields: readonly MessageFieldValue[]) {
    super(lines, start, end)
    this.fields = fields
  }
}
/** `[a, b]` inside a message literal. */
export class ListValue extends Node {
  readonly kind = 'list'
  values: readonly OptionValue[]
  constructor(lines: LineTable, start: number, end: number, values: readonly OptionValue[]) {
    super(lines, start, end)
    this.values = values
  }
}
export type OptionValue = IdentifierValue | IntValue | FloatValue | StringValue | MessageValue | ListValue

/** One `name: value` entry of a message literal; its span runs from the name to the end of the value. */
export class MessageFieldValue extends Node {
  /** Field name, extension name (`[foo.bar]`, without brackets) or Any type URL (`[type.googleapis.com/x.Y]`). */
  name: string
  nameKind: 'field' | 'extension' | 'any'
  nameStart: number
  nameEnd: number
  value: OptionValue
  /** linker: the field or extension the name refers to. */
  field: FieldDecl | undefined = undefined
  constructor(lines: LineTable, nameStart: number, nameEnd: number, name: string, nameKind: MessageFieldValue['nameKind'], value: OptionValue) {
    super(lines, nameStart, value.spanEnd)
    this.name = name
    this.nameKind = nameKind
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.value = value
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

// ---- options ------------------------------------------------------------------------------

/** One component of an option name; its span includes the parentheses of an extension. */
export class OptionNamePart extends Node {
  /** `json_name`, `features`, or for extensions the name inside the parentheses (`google.api.http`, `.foo.bar`). */
  name: string
  extension: boolean
  nameStart: number
  nameEnd: number
  constructor(lines: LineTable, start: number, end: number, name: string, extension: boolean, nameStart: number, nameEnd: number) {
    super(lines, start, end)
    this.name = name
    this.extension = extension
    this.nameStart = nameStart
    this.nameEnd = nameEnd
  }
  /** The name alone (inside the parentheses). */
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

/** `option name = value;` in a body (span from `option` to `;`), or one `name = value` element of `[ … ]`. */
export class OptionDecl extends Node {
  /** Canonical text of the name: `json_name`, `(google.api.http)`, `(foo.bar).baz`, `features.field_presence`. */
  nameText: string
  nameParts: readonly OptionNamePart[]
  value: OptionValue
  compact: boolean
  comments: Comments
  /** linker: fields of the options message the name walks through, e.g. [http extension] or [features, field_presence]. */
  fieldPath: readonly FieldDecl[] = EMPTY
  constructor(lines: LineTable, start: number, end: number, nameText: string, nameParts: readonly OptionNamePart[], value: OptionValue, compact: boolean, comments: Comments) {
    super(lines, start, end)
    this.nameText = nameText
    this.nameParts = nameParts
    this.value = value
    this.compact = compact
    this.comments = comments
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameParts[0]!.spanStart, this.nameParts[this.nameParts.length - 1]!.spanEnd)
  }
  get valueSpan(): Span {
    return this.value.span
  }
}

/** Base of every declaration that can carry options. */
export abstract class OptionsHolder extends Node {
  options: readonly OptionDecl[] = EMPTY

  /** The option whose canonical name is `name` (`json_name`, `(google.api.http)`, `features.enum_type`); the last one if repeated. */
  option(name: string): OptionDecl | undefined {
    for (let i = this.options.length - 1; i >= 0; i--) if (this.options[i]!.nameText === name) return this.options[i]
    return undefined
  }

  optionSpan(name: string): Span | undefined {
    return this.option(name)?.span
  }

  optionValue(name: string): OptionValue | undefined {
    return this.option(name)?.value
  }

  /** true/false for a boolean option that is set, undefined when absent or not an identifier. */
  boolOption(name: string): boolean | undefined {
    const v = this.option(name)?.value
    if (v?.kind !== 'identifier') return undefined
    return v.name === 'true' ? true : v.name === 'false' ? false : undefined
  }
}

// ---- declarations -------------------------------------------------------------------------

export type ScalarType =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'bytes' | 'uint32' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64'

/** FieldDescriptorProto.Type without the TYPE_ prefix, lower case. */
export type FieldType = ScalarType | 'group' | 'message' | 'enum'

export const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'double', 'float', 'int64', 'uint64', 'int32', 'fixed64', 'fixed32', 'bool', 'string', 'bytes',
  'uint32', 'sfixed32', 'sfixed64', 'sint32', 'sint64'
])

export type Label = 'optional' | 'required' | 'repeated'

export class SyntaxDecl extends Node {
  /** `syntax` or `edition`. */
  keyword: 'syntax' | 'edition'
  /** The string as written: `proto3`, `2023`. */
  value: string
  valueStart: number
  valueEnd: number
  comments: Comments
  constructor(lines: LineTable, start: number, end: number, keyword: 'syntax' | 'edition', value: string, valueStart: number, valueEnd: number, comments: Comments) {
    super(lines, start, end)
    this.keyword = keyword
    this.value = value
    this.valueStart = valueStart
    this.valueEnd = valueEnd
    this.comments = comments
  }
  get valueSpan(): Span {
    return this.lines.span(this.valueStart, this.valueEnd)
  }
}

export class PackageDecl extends Node {
  name: string
  nameStart: number
  nameEnd: number
  comments: Comments
  constructor(lines: LineTable, start: number, end: number, name: string, nameStart: number, nameEnd: number, comments: Comments) {
    super(lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.comments = comments
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

export class ImportDecl extends Node {
  path: string
  modifier: 'public' | 'weak' | 'option' | undefined
  pathStart: number
  pathEnd: number
  modifierStart: number
  modifierEnd: number
  comments: Comments
  /** linker: a symbol of the imported file (or of a file it re-exports) is referenced; public imports always count as used (as in buf). */
  used = false
  /** linker: the imported file. */
  file: ProtoFile | undefined = undefined
  constructor(lines: LineTable, start: number, end: number, path: string, modifier: ImportDecl['modifier'], pathStart: number, pathEnd: number, modifierStart: number, modifierEnd: number, comments: Comments) {
    super(lines, start, end)
    this.path = path
    this.modifier = modifier
    this.pathStart = pathStart
    this.pathEnd = pathEnd
    this.modifierStart = modifierStart
    this.modifierEnd = modifierEnd
    this.comments = comments
  }
  /** The quoted path. */
  get pathSpan(): Span {
    return this.lines.span(this.pathStart, this.pathEnd)
  }
  /** The `public`/`weak`/`option` keyword. */
  get modifierSpan(): Span | undefined {
    return optionalSpan(this.lines, this.modifierStart, this.modifierEnd)
  }
}

/** One `a`, `a to b` or `a to max` range; `end` is inclusive (`max` already replaced by its number). */
export class RangeDecl extends Node {
  start: number
  end: number
  lowStart: number
  lowEnd: number
  highStart: number
  highEnd: number
  statement: ReservedDecl | ExtensionsDecl
  constructor(lines: LineTable, spanStart: number, spanEnd: number, start: number, end: number, lowStart: number, lowEnd: number, highStart: number, highEnd: number, statement: ReservedDecl | ExtensionsDecl) {
    super(lines, spanStart, spanEnd)
    this.start = start
    this.end = end
    this.lowStart = lowStart
    this.lowEnd = lowEnd
    this.highStart = highStart
    this.highEnd = highEnd
    this.statement = statement
  }
  /** The first number (with its sign). */
  get startSpan(): Span {
    return this.lines.span(this.lowStart, this.lowEnd)
  }
  /** The second number or `max`; the first one for a single-number range. */
  get endSpan(): Span {
    return this.lines.span(this.highStart, this.highEnd)
  }
}

/** A reserved name: the string literal with its quotes, or the identifier (editions). */
export class ReservedName extends Node {
  name: string
  statement: ReservedDecl
  constructor(lines: LineTable, start: number, end: number, name: string, statement: ReservedDecl) {
    super(lines, start, end)
    this.name = name
    this.statement = statement
  }
}

/** A `reserved …;` statement. */
export class ReservedDecl extends Node {
  ranges: readonly RangeDecl[] = EMPTY
  names: readonly ReservedName[] = EMPTY
  comments: Comments = NO_COMMENTS
}

/** An `extensions …;` statement. */
export class ExtensionsDecl extends OptionsHolder {
  ranges: readonly RangeDecl[] = EMPTY
  optionsStart = -1
  optionsEnd = -1
  comments: Comments = NO_COMMENTS
  /** The `[ … ]` list, when present. */
  get optionsSpan(): Span | undefined {
    return optionalSpan(this.lines, this.optionsStart, this.optionsEnd)
  }
}

export class FieldDecl extends OptionsHolder {
  readonly kind = 'field'
  name: string
  number: number
  /** The type as written: `string`, `foo.Bar`, `.a.B`; the group's name for groups; `map<K, V>` for maps. */
  typeName: string
  comments: Comments
  /** The message the field is declared in; undefined for file-level extensions. */
  parent: MessageDecl | undefined
  file: ProtoFile
  nameStart: number
  nameEnd: number
  numberStart: number
  numberEnd: number
  typeStart: number
  typeEnd: number
  label: Label | undefined = undefined
  labelStart = -1
  labelEnd = -1
  optionsStart = -1
  optionsEnd = -1
  /** Set for `map<K, V>` fields: the synthetic nested `XxxEntry` message (also in the parent's `messages`). */
  mapEntry: MessageDecl | undefined = undefined
  /** Set for groups: the synthetic nested message (also in the parent's `messages`). */
  group: MessageDecl | undefined = undefined
  /** The enclosing oneof (a synthetic one for proto3 `optional`). */
  oneof: OneofDecl | undefined = undefined
  /** For extensions: the `extend` block. */
  extend: ExtendDecl | undefined = undefined

  // linker:
  type: FieldType | undefined = undefined
  /** The message type of message, group and map fields (a map's is its entry message). */
  resolvedMessage: MessageDecl | undefined = undefined
  resolvedEnum: EnumDecl | undefined = undefined
  /** For extensions: the extended message. */
  extendeeMessage: MessageDecl | undefined = undefined
  /** Resolved cardinality, as protoreflect reports it: editions LEGACY_REQUIRED → required; map fields → repeated. See descriptorLabel. */
  cardinality: Label = 'optional'
  features: ResolvedFeatures | undefined = undefined

  constructor(
    file: ProtoFile, start: number, end: number, name: string, nameStart: number, nameEnd: number, number: number, numberStart: number, numberEnd: number,
    typeName: string, typeStart: number, typeEnd: number, comments: Comments, parent: MessageDecl | undefined
  ) {
    super(file.lines, start, end)
    this.name = name
    this.number = number
    this.typeName = typeName
    this.comments = comments
    this.parent = parent
    this.file = file
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.numberStart = numberStart
    this.numberEnd = numberEnd
    this.typeStart = typeStart
    this.typeEnd = typeEnd
  }

  /** `pkg.Message.field`; an extension is scoped where it is declared, not in its extendee. */
  get fullName(): string {
    return scopedName(this.parent, this.file, this.name)
  }
  /** The `json_name` option's value, or protoc's default (lowerCamel: `foo_bar` → `fooBar`). */
  get jsonName(): string {
    const v = this.option('json_name')?.value
    return v?.kind === 'string' ? v.value : this.synthetic ? this.name : defaultJsonName(this.name)
  }
  /** proto3 `optional` (explicit presence through a synthetic oneof). */
  get proto3Optional(): boolean {
    return this.label === 'optional' && this.file.syntax === 'proto3'
  }
  /** The key/value fields of a map entry message. */
  get synthetic(): boolean {
    return this.parent?.synthetic === 'map-entry'
  }
  /** linker: fully qualified with a leading dot, for message, group, map and enum fields. */
  get resolvedTypeName(): string | undefined {
    const t = this.resolvedMessage ?? this.resolvedEnum
    return t && '.' + t.fullName
  }
  /** linker: for extensions, the extendee fully qualified with a leading dot. */
  get resolvedExtendee(): string | undefined {
    return this.extendeeMessage && '.' + this.extendeeMessage.fullName
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
  get numberSpan(): Span {
    return this.lines.span(this.numberStart, this.numberEnd)
  }
  /** buf's type location: the type without label; the `group` keyword for groups; `map<…>` for maps. */
  get typeSpan(): Span {
    return this.lines.span(this.typeStart, this.typeEnd)
  }
  get labelSpan(): Span | undefined {
    return optionalSpan(this.lines, this.labelStart, this.labelEnd)
  }
  /** The `[ … ]` list, when present. */
  get optionsSpan(): Span | undefined {
    return optionalSpan(this.lines, this.optionsStart, this.optionsEnd)
  }
  /** FieldDescriptorProto.label as buf writes it: like cardinality, except editions never write LABEL_REQUIRED. */
  get descriptorLabel(): Label {
    return this.cardinality === 'required' && this.file.syntax === 'editions' ? 'optional' : this.cardinality
  }
  get isExtension(): boolean {
    return this.extend !== undefined
  }
  get hasJsonNameOption(): boolean {
    return this.option('json_name') !== undefined
  }
  /** The `[default = …]` value, if any. */
  get defaultValue(): OptionValue | undefined {
    return this.option('default')?.value
  }
}

export class OneofDecl extends OptionsHolder {
  readonly kind = 'oneof'
  name: string
  nameStart: number
  nameEnd: number
  comments: Comments
  parent: MessageDecl
  fields: readonly FieldDecl[] = EMPTY
  /** The `_name` oneof protoc creates for a proto3 `optional` field (no source location in buf). */
  synthetic = false
  features: ResolvedFeatures | undefined = undefined
  constructor(parent: MessageDecl, start: number, end: number, name: string, nameStart: number, nameEnd: number, comments: Comments) {
    super(parent.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.comments = comments
    this.parent = parent
  }
  get fullName(): string {
    return this.parent.fullName + '.' + this.name
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

export class ExtendDecl extends Node {
  /** The extendee as written. */
  extendee: string
  extendeeStart: number
  extendeeEnd: number
  comments: Comments = NO_COMMENTS
  /** The message the block is declared in; undefined at file level. */
  parent: MessageDecl | undefined
  fields: readonly FieldDecl[] = EMPTY
  constructor(lines: LineTable, start: number, end: number, extendee: string, extendeeStart: number, extendeeEnd: number, parent: MessageDecl | undefined) {
    super(lines, start, end)
    this.extendee = extendee
    this.extendeeStart = extendeeStart
    this.extendeeEnd = extendeeEnd
    this.parent = parent
  }
  get extendeeSpan(): Span {
    return this.lines.span(this.extendeeStart, this.extendeeEnd)
  }
}

export class MessageDecl extends OptionsHolder {
  readonly kind = 'message'
  name: string
  nameStart: number
  nameEnd: number
  comments: Comments = NO_COMMENTS
  parent: MessageDecl | undefined
  fullName: string
  file: ProtoFile
  fields: readonly FieldDecl[] = EMPTY
  oneofs: readonly OneofDecl[] = EMPTY
  messages: readonly MessageDecl[] = EMPTY
  enums: readonly EnumDecl[] = EMPTY
  extends: readonly ExtendDecl[] = EMPTY
  /** Extension fields declared inside this message, in order. */
  extensions: readonly FieldDecl[] = EMPTY
  extensionRanges: readonly RangeDecl[] = EMPTY
  extensionDecls: readonly ExtensionsDecl[] = EMPTY
  reservedRanges: readonly RangeDecl[] = EMPTY
  reservedNames: readonly ReservedName[] = EMPTY
  reservedDecls: readonly ReservedDecl[] = EMPTY
  /** `map-entry` for a map field's `XxxEntry`, `group` for a group's message. */
  synthetic: 'map-entry' | 'group' | undefined = undefined
  /** Editions 2024 `export`/`local`. */
  visibility: 'export' | 'local' | undefined = undefined
  features: ResolvedFeatures | undefined = undefined
  constructor(file: ProtoFile, start: number, end: number, name: string, nameStart: number, nameEnd: number, parent: MessageDecl | undefined, fullName: string) {
    super(file.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.parent = parent
    this.fullName = fullName
    this.file = file
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

export class EnumValueDecl extends OptionsHolder {
  readonly kind = 'enumValue'
  name: string
  nameStart: number
  nameEnd: number
  number: number
  numberStart: number
  numberEnd: number
  comments: Comments = NO_COMMENTS
  parent: EnumDecl
  optionsStart = -1
  optionsEnd = -1
  features: ResolvedFeatures | undefined = undefined
  constructor(parent: EnumDecl, start: number, end: number, name: string, nameStart: number, nameEnd: number, number: number, numberStart: number, numberEnd: number) {
    super(parent.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.number = number
    this.numberStart = numberStart
    this.numberEnd = numberEnd
    this.parent = parent
  }
  /** Enum values are siblings of their enum: `pkg.Outer.VALUE`. */
  get fullName(): string {
    return scopedName(this.parent.parent, this.parent.file, this.name)
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
  /** Includes a leading '-'. */
  get numberSpan(): Span {
    return this.lines.span(this.numberStart, this.numberEnd)
  }
  get optionsSpan(): Span | undefined {
    return optionalSpan(this.lines, this.optionsStart, this.optionsEnd)
  }
}

export class EnumDecl extends OptionsHolder {
  readonly kind = 'enum'
  name: string
  nameStart: number
  nameEnd: number
  comments: Comments = NO_COMMENTS
  parent: MessageDecl | undefined
  fullName: string
  file: ProtoFile
  values: readonly EnumValueDecl[] = EMPTY
  reservedRanges: readonly RangeDecl[] = EMPTY
  reservedNames: readonly ReservedName[] = EMPTY
  reservedDecls: readonly ReservedDecl[] = EMPTY
  visibility: 'export' | 'local' | undefined = undefined
  features: ResolvedFeatures | undefined = undefined
  constructor(file: ProtoFile, start: number, end: number, name: string, nameStart: number, nameEnd: number, parent: MessageDecl | undefined, fullName: string) {
    super(file.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.parent = parent
    this.fullName = fullName
    this.file = file
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
  /** linker: CLOSED by the resolved `enum_type` feature (proto2 enums are closed). */
  get closed(): boolean {
    return this.features?.enum_type === 'CLOSED'
  }
}

export class MethodDecl extends OptionsHolder {
  readonly kind = 'method'
  name: string
  nameStart: number
  nameEnd: number
  /** Request/response types as written. */
  inputType: string
  inputStart: number
  inputEnd: number
  outputType: string
  outputStart: number
  outputEnd: number
  comments: Comments = NO_COMMENTS
  parent: ServiceDecl
  clientStreaming = false
  serverStreaming = false
  clientStreamStart = -1
  clientStreamEnd = -1
  serverStreamStart = -1
  serverStreamEnd = -1
  /** `{ … }` follows the signature (buf then records a method-options location even if empty). */
  hasBody = false
  // linker:
  resolvedInputType: string | undefined = undefined
  resolvedOutputType: string | undefined = undefined
  inputMessage: MessageDecl | undefined = undefined
  outputMessage: MessageDecl | undefined = undefined
  features: ResolvedFeatures | undefined = undefined
  constructor(parent: ServiceDecl, start: number, end: number, name: string, nameStart: number, nameEnd: number, inputType: string, inputStart: number, inputEnd: number, outputType: string, outputStart: number, outputEnd: number) {
    super(parent.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.inputType = inputType
    this.inputStart = inputStart
    this.inputEnd = inputEnd
    this.outputType = outputType
    this.outputStart = outputStart
    this.outputEnd = outputEnd
    this.parent = parent
  }
  get fullName(): string {
    return this.parent.fullName + '.' + this.name
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
  get inputTypeSpan(): Span {
    return this.lines.span(this.inputStart, this.inputEnd)
  }
  get outputTypeSpan(): Span {
    return this.lines.span(this.outputStart, this.outputEnd)
  }
  /** The `stream` keywords. */
  get clientStreamSpan(): Span | undefined {
    return optionalSpan(this.lines, this.clientStreamStart, this.clientStreamEnd)
  }
  get serverStreamSpan(): Span | undefined {
    return optionalSpan(this.lines, this.serverStreamStart, this.serverStreamEnd)
  }
}

export class ServiceDecl extends OptionsHolder {
  readonly kind = 'service'
  name: string
  nameStart: number
  nameEnd: number
  comments: Comments = NO_COMMENTS
  fullName: string
  file: ProtoFile
  methods: readonly MethodDecl[] = EMPTY
  features: ResolvedFeatures | undefined = undefined
  constructor(file: ProtoFile, start: number, end: number, name: string, nameStart: number, nameEnd: number, fullName: string) {
    super(file.lines, start, end)
    this.name = name
    this.nameStart = nameStart
    this.nameEnd = nameEnd
    this.fullName = fullName
    this.file = file
  }
  get nameSpan(): Span {
    return this.lines.span(this.nameStart, this.nameEnd)
  }
}

/** A parsed file; its span runs from the first to the last token (buf's file location), 1:1–1:1 when empty. */
export class ProtoFile extends OptionsHolder {
  readonly kind = 'file'
  /** Path relative to its import root, with forward slashes: `google/type/money.proto`. */
  path: string
  /** proto2 when no syntax/edition statement is present (see syntaxDecl). */
  syntax: Syntax = 'proto2'
  /** `2023`, `2024` for editions files. */
  edition: string | undefined = undefined
  syntaxDecl: SyntaxDecl | undefined = undefined
  packageDecl: PackageDecl | undefined = undefined
  imports: readonly ImportDecl[] = EMPTY
  messages: readonly MessageDecl[] = EMPTY
  enums: readonly EnumDecl[] = EMPTY
  services: readonly ServiceDecl[] = EMPTY
  extends: readonly ExtendDecl[] = EMPTY
  /** File-level extension fields, in order. */
  extensions: readonly FieldDecl[] = EMPTY
  features: ResolvedFeatures | undefined = undefined
  constructor(path: string, lines: LineTable, start: number, end: number) {
    super(lines, start, end)
    this.path = path
  }
  /** The package name, '' when there is none. */
  get package(): string {
    return this.packageDecl?.name ?? ''
  }
  /** The whole source text. */
  get source(): string {
    return this.lines.text
  }
}

/** Calls `visit` for every message (nested and synthetic ones included) in descriptor order, depth first. */
export function forEachMessage(container: ProtoFile | MessageDecl, visit: (m: MessageDecl) => void): void {
  for (let i = 0, list = container.messages; i < list.length; i++) {
    const m = list[i]!
    visit(m)
    forEachMessage(m, visit)
  }
}

/** Every enum in the file, nested ones included. */
export function forEachEnum(file: ProtoFile, visit: (e: EnumDecl) => void): void {
  for (let i = 0, list = file.enums; i < list.length; i++) {
    const e = list[i]!
    visit(e)
  }
  forEachMessage(file, (m) => {
    for (let i = 0, list = m.enums; i < list.length; i++) {
      const e = list[i]!
      visit(e)
    }
  })
}

/** Every field and extension in the file, nested ones included. */
export function forEachField(file: ProtoFile, visit: (f: FieldDecl) => void): void {
  for (let i = 0, list = file.extensions; i < list.length; i++) {
    const f = list[i]!
    visit(f)
  }
  forEachMessage(file, (m) => {
    for (let i = 0, list = m.fields; i < list.length; i++) {
      const f = list[i]!
      visit(f)
    }
    for (let i = 0, list = m.extensions; i < list.length; i++) {
      const f = list[i]!
      visit(f)
    }
  })
}
