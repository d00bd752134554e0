/**
 * The proto front end's linked syntax trees as the breaking model. Locations are the spans the
 * front end records for each descriptor path (the same ones buf's SourceCodeInfo holds), so a
 * finding built from these lines up with buf's.
 */

import type * as ast from '../proto/ast.js'
import { editionKey, resolveFeature, asCppStringType, type EditionKey } from '../rules/breaking/features.js'
import {
  FILE_OPTION_NUMBERS,
  type CType,
  type FieldType,
  type FileOptionName,
  type FileOptions,
  type IdempotencyLevel,
  type JsType,
  type Label,
  type Loc,
  type OptimizeMode,
  type ProtoEnum,
  type ProtoField,
  type ProtoFile,
  type ProtoMessage,
  type ProtoOneof,
  type ProtoService
} from '../rules/breaking/model.js'

const FILE_OPTION_NAMES = Object.keys(FILE_OPTION_NUMBERS) as FileOptionName[]

const STRING_FILE_OPTIONS: readonly FileOptionName[] = [
  'java_package',
  'java_outer_classname',
  'go_package',
  'objc_class_prefix',
  'csharp_namespace',
  'swift_prefix',
  'php_class_prefix',
  'php_namespace',
  'php_metadata_namespace',
  'ruby_package'
]
const BOOL_FILE_OPTIONS: readonly FileOptionName[] = [
  'java_multiple_files',
  'cc_generic_services',
  'java_generic_services',
  'py_generic_services',
  'java_string_check_utf8',
  'cc_enable_arenas'
]

/**
 * Convert linked files. `isImport(path)` tells which files are not part of the module (they
 * are compared too, as buf's image holds them, but `excludeImports` can drop their findings).
 */
export function filesFromAst(files: readonly ast.ProtoFile[], isImport: (path: string) => boolean): ProtoFile[] {
  const converter = new Converter()
  const result = files.map((file) => converter.file(file, isImport(file.path)))
  converter.resolve()
  return result
}

interface PendingField {
  field: ProtoField
  decl: ast.FieldDecl
}

class Converter {
  private readonly enums = new Map<ast.EnumDecl, ProtoEnum>()
  private readonly pending: PendingField[] = []

  file(decl: ast.ProtoFile, isImport: boolean): ProtoFile {
    // Every key present from the start: one object shape for all files keeps lookups fast.
    const options: FileOptions = Object.fromEntries(FILE_OPTION_NAMES.map((name) => [name, undefined]))
    const optionLocs: Partial<Record<FileOptionName, Loc>> = Object.fromEntries(FILE_OPTION_NAMES.map((name) => [name, undefined]))
    for (const name of decl.options.length > 0 ? FILE_OPTION_NAMES : []) {
      const option = decl.option(name)
      if (!option) continue
      optionLocs[name] = option.span
      const value = option.value
      if (STRING_FILE_OPTIONS.includes(name) && value.kind === 'string') (options as Record<string, unknown>)[name] = value.value
      else if (BOOL_FILE_OPTIONS.includes(name) && value.kind === 'identifier') (options as Record<string, unknown>)[name] = value.name === 'true'
      else if (name === 'optimize_for' && value.kind === 'identifier') options.optimize_for = value.name as OptimizeMode
    }
    const file: ProtoFile = {
      path: decl.path,
      package: decl.package,
      syntax: decl.syntax,
      ...(decl.syntax === 'editions' && decl.edition !== undefined ? { edition: decl.edition } : {}),
      isImport,
      imports: decl.imports.map((imp) => imp.path),
      options,
      messages: [],
      enums: [],
      services: [],
      extensions: [],
      locs: {
        ...(decl.packageDecl ? { package: decl.packageDecl.span } : {}),
        ...(decl.syntaxDecl ? { syntax: decl.syntaxDecl.span } : {}),
        options: optionLocs
      }
    }
    const key = editionKey(decl.syntax, decl.edition)
    const chain: ast.OptionsHolder[] = [decl]
    file.enums = decl.enums.map((e) => this.enumType(e, file, undefined))
    file.messages = decl.messages.map((m) => this.message(m, file, undefined, key, chain))
    file.extensions = decl.extensions.map((f) => this.field(f, file, undefined, undefined, key, chain))
    file.services = decl.services.map((s) => this.service(s, file))
    return file
  }

  private message(decl: ast.MessageDecl, file: ProtoFile, parent: ProtoMessage | undefined, key: EditionKey, outer: ast.OptionsHolder[]): ProtoMessage {
    const nestedName = parent ? `${parent.nestedName}.${decl.name}` : decl.name
    const mapField = decl.synthetic === 'map-entry' ? decl.parent?.fields.find((field) => field.mapEntry === decl) : undefined
    // A map entry inherits features from its map field, then from the field's message.
    const chain = mapField ? [decl, mapField, ...outer] : [decl, ...outer]
    // A map entry has no location of its own: buf reports the map field's type instead.
    const mapTypeSpan = mapField?.typeSpan
    const message: ProtoMessage = {
      name: decl.name,
      fullName: decl.fullName,
      nestedName,
      file,
      ...(parent ? { parent } : {}),
      fields: [],
      oneofs: [],
      messages: [],
      enums: [],
      extensions: [],
      reservedRanges: decl.reservedRanges.map((range) => ({ start: range.start, end: range.end })),
      reservedNames: decl.reservedNames.map((name) => name.name),
      extensionRanges: decl.extensionRanges.map((range) => ({ start: range.start, end: range.end })),
      mapEntry: decl.synthetic === 'map-entry',
      messageSetWireFormat: decl.boolOption('message_set_wire_format') === true,
      noStandardDescriptorAccessor: decl.boolOption('no_standard_descriptor_accessor') === true,
      jsonFormat: decl.features?.json_format ?? 'ALLOW',
      locs: {
        self: decl.synthetic === 'map-entry' ? mapTypeSpan : decl.span,
        noStandardDescriptorAccessor: decl.optionSpan('no_standard_descriptor_accessor'),
        jsonFormat: decl.optionSpan('features.json_format')
      }
    }
    const oneofs = new Map<ast.OneofDecl, ProtoOneof>()
    message.oneofs = decl.oneofs.map((oneof) => {
      const converted = { name: oneof.name, synthetic: oneof.synthetic }
      oneofs.set(oneof, converted)
      return converted
    })
    message.enums = decl.enums.map((e) => this.enumType(e, file, message))
    message.messages = decl.messages.map((m) => this.message(m, file, message, key, chain))
    message.fields = decl.fields.map((f) => this.field(f, file, message, f.oneof ? oneofs.get(f.oneof) : undefined, key, f.oneof ? [f.oneof, ...chain] : chain))
    if (decl.synthetic === 'map-entry') {
      for (const field of message.fields) field.locs = { self: mapTypeSpan, name: mapTypeSpan, type: mapTypeSpan, typeName: mapTypeSpan }
    }
    message.extensions = decl.extensions.map((f) => this.field(f, file, message, undefined, key, chain))
    return message
  }

  private enumType(decl: ast.EnumDecl, file: ProtoFile, parent: ProtoMessage | undefined): ProtoEnum {
    const enumType: ProtoEnum = {
      name: decl.name,
      fullName: decl.fullName,
      nestedName: parent ? `${parent.nestedName}.${decl.name}` : decl.name,
      file,
      ...(parent ? { parent } : {}),
      values: [],
      reservedRanges: decl.reservedRanges.map((range) => ({ start: range.start, end: range.end })),
      reservedNames: decl.reservedNames.map((name) => name.name),
      closed: decl.closed,
      jsonFormat: decl.features?.json_format ?? 'ALLOW',
      locs: { self: decl.span, enumType: decl.optionSpan('features.enum_type'), jsonFormat: decl.optionSpan('features.json_format') }
    }
    enumType.values = decl.values.map((value) => ({
      name: value.name,
      number: value.number,
      enum: enumType,
      locs: { self: value.span, number: value.numberSpan }
    }))
    this.enums.set(decl, enumType)
    return enumType
  }

  private field(
    decl: ast.FieldDecl,
    file: ProtoFile,
    message: ProtoMessage | undefined,
    oneof: ProtoOneof | undefined,
    key: EditionKey,
    outer: readonly ast.OptionsHolder[]
  ): ProtoField {
    const type: FieldType = decl.type ?? 'message'
    const label: Label = decl.label === 'required' ? 'required' : decl.label === 'repeated' || decl.mapEntry ? 'repeated' : 'optional'
    const features = decl.features
    const isMap = decl.mapEntry !== undefined
    const kind: FieldType = type === 'message' && !isMap && features?.message_encoding === 'DELIMITED' ? 'group' : type
    const scalar = type !== 'message' && type !== 'enum' && type !== 'group'
    const textual = type === 'string' || type === 'bytes'
    const hasOptions = decl.options.length > 0
    const pkgPrefix = file.package ? file.package + '.' : ''
    const ctype = hasOptions ? identifierOption<CType>(decl, 'ctype') : undefined
    // Only string and bytes fields are compared on the (pb.cpp)/(pb.java) features.
    const cpp = textual ? customFeatureValue(decl, outer, 'cpp', 'string_type') : undefined
    const java = type === 'string' ? customFeatureValue(decl, outer, 'java', 'utf8_validation') : undefined
    const field: ProtoField = {
      name: decl.name,
      number: decl.number,
      label,
      type,
      kind,
      typeName: decl.resolvedTypeName,
      extendee: decl.isExtension ? decl.resolvedExtendee?.replace(/^\./, '') : undefined,
      fullName: decl.fullName,
      nestedName: decl.fullName.startsWith(pkgPrefix) ? decl.fullName.slice(pkgPrefix.length) : decl.fullName,
      file,
      message,
      oneof,
      jsonName: decl.jsonName,
      jstype: (hasOptions ? identifierOption<JsType>(decl, 'jstype') : undefined) ?? 'JS_NORMAL',
      ctype,
      cppStringType: asCppStringType(cpp ?? resolveFeature(key, 'cpp_string_type', [])),
      utf8Validation: features?.utf8_validation ?? 'VERIFY',
      javaUtf8Validation: java === 'VERIFY' ? 'VERIFY' : 'DEFAULT',
      defaultValue: undefined,
      hasPresence:
        label !== 'repeated' &&
        (decl.isExtension || kind === 'message' || kind === 'group' || decl.oneof !== undefined || features?.field_presence !== 'IMPLICIT'),
      isMap,
      isList: label === 'repeated' && !isMap,
      isRequired: decl.cardinality === 'required',
      enumType: undefined,
      locs: {
        self: decl.span,
        name: decl.nameSpan,
        // buf records a named type's location (the `group` keyword for groups) as type_name.
        type: scalar ? decl.typeSpan : undefined,
        typeName: scalar ? undefined : decl.typeSpan,
        jsonName: undefined,
        default: undefined,
        ctype: undefined,
        jstype: undefined,
        utf8Validation: undefined,
        cppStringType: undefined,
        javaUtf8Validation: undefined
      }
    }
    if (hasOptions) {
      const defaultValue = decl.defaultValue
      if (defaultValue !== undefined) field.defaultValue = descriptorDefault(defaultValue, type)
      const locs = field.locs
      locs.jsonName = decl.optionSpan('json_name')
      locs.default = decl.optionSpan('default')
      locs.ctype = decl.optionSpan('ctype')
      locs.jstype = decl.optionSpan('jstype')
      locs.utf8Validation = decl.optionSpan('features.utf8_validation')
      locs.cppStringType = customFeatureOption(decl, 'cpp', 'string_type')?.span
      locs.javaUtf8Validation = customFeatureOption(decl, 'java', 'utf8_validation')?.span
    }
    if (type === 'enum') this.pending.push({ field, decl })
    return field
  }

  private service(decl: ast.ServiceDecl, file: ProtoFile): ProtoService {
    const service: ProtoService = { name: decl.name, fullName: decl.fullName, file, methods: [], locs: { self: decl.span } }
    service.methods = decl.methods.map((method) => ({
      name: method.name,
      service,
      inputType: (method.resolvedInputType ?? method.inputType).replace(/^\./, ''),
      outputType: (method.resolvedOutputType ?? method.outputType).replace(/^\./, ''),
      clientStreaming: method.clientStreaming,
      serverStreaming: method.serverStreaming,
      idempotencyLevel: identifierOption<IdempotencyLevel>(method, 'idempotency_level') ?? 'IDEMPOTENCY_UNKNOWN',
      locs: {
        self: method.span,
        inputType: method.inputTypeSpan,
        outputType: method.outputTypeSpan,
        idempotencyLevel: method.optionSpan('idempotency_level')
      }
    }))
    return service
  }

  /** Enum fields point at enums that may live in any converted file. */
  resolve(): void {
    for (const { field, decl } of this.pending) {
      const target = decl.resolvedEnum ? this.enums.get(decl.resolvedEnum) : undefined
      if (target) field.enumType = target
    }
  }
}

function identifierOption<T extends string>(holder: ast.OptionsHolder, name: string): T | undefined {
  const value = holder.optionValue(name)
  return value?.kind === 'identifier' ? (value.name as T) : undefined
}

/** `features.(pb.cpp).string_type` and `features.(pb.java).utf8_validation`. */
function customFeatureOption(holder: ast.OptionsHolder, language: 'cpp' | 'java', feature: string): ast.OptionDecl | undefined {
  const names = [`features.(pb.${language}).${feature}`, `features.(.pb.${language}).${feature}`]
  for (let i = holder.options.length - 1; i >= 0; i--) {
    const option = holder.options[i]!
    if (names.includes(option.nameText)) return option
  }
  return undefined
}

function customFeature(holder: ast.OptionsHolder, language: 'cpp' | 'java', feature: string): string | undefined {
  if (holder.options.length === 0) return undefined
  const value = customFeatureOption(holder, language, feature)?.value
  return value?.kind === 'identifier' ? value.name : undefined
}

/** The innermost explicit value of a custom feature on the field or its enclosing declarations. */
function customFeatureValue(decl: ast.FieldDecl, outer: readonly ast.OptionsHolder[], language: 'cpp' | 'java', feature: string): string | undefined {
  const own = customFeature(decl, language, feature)
  if (own !== undefined) return own
  for (const holder of outer) {
    const value = customFeature(holder, language, feature)
    if (value !== undefined) return value
  }
  return undefined
}

/** The default as descriptor.proto's default_value text (bytes C-escaped, numbers in decimal). */
function descriptorDefault(value: ast.OptionValue, type: FieldType): string {
  switch (value.kind) {
    case 'string':
      return type === 'bytes' ? cEscape(value.bytes ?? new TextEncoder().encode(value.value)) : value.value
    case 'int':
      return value.value.toString()
    case 'float':
      return String(value.value)
    case 'identifier':
      return value.negative ? '-' + value.name : value.name
    default:
      return ''
  }
}

/** protoc's CEscape: printable ASCII stays, the usual escapes, other bytes as 3-digit octal. */
function cEscape(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) {
    if (byte === 0x0a) out += '\\n'
    else if (byte === 0x0d) out += '\\r'
    else if (byte === 0x09) out += '\\t'
    else if (byte === 0x22) out += '\\"'
    else if (byte === 0x27) out += "\\'"
    else if (byte === 0x5c) out += '\\\\'
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte)
    else out += '\\' + byte.toString(8).padStart(3, '0')
  }
  return out
}
