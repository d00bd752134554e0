/**
 * Option interpretation: resolves each option name against the descriptor.proto options
 * message of its element (standard fields by name, custom options as extensions with protoc's
 * scoping), then checks the value against the field's type, resolving enum value names and the
 * field/extension/Any names inside message literals.
 */
import {
  append,
  forEachMessage,
  type FieldDecl,
  type MessageDecl,
  type MessageValue,
  type OptionDecl,
  type OptionsHolder,
  type OptionValue,
  type ProtoFile
} from './ast.js'
import type { Span } from './span.js'
import type { LinkContext } from './linker.js'

const INT_RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n]
}

/** FieldOptions.OptionTargetType of each options message. */
const TARGET_OF: Record<string, string> = {
  FileOptions: 'TARGET_TYPE_FILE',
  ExtensionRangeOptions: 'TARGET_TYPE_EXTENSION_RANGE',
  MessageOptions: 'TARGET_TYPE_MESSAGE',
  FieldOptions: 'TARGET_TYPE_FIELD',
  OneofOptions: 'TARGET_TYPE_ONEOF',
  EnumOptions: 'TARGET_TYPE_ENUM',
  EnumValueOptions: 'TARGET_TYPE_ENUM_ENTRY',
  ServiceOptions: 'TARGET_TYPE_SERVICE',
  MethodOptions: 'TARGET_TYPE_METHOD'
}

/** The element an option is written on, for checks that depend on it. */
interface Target {
  kind: string
  field: FieldDecl | undefined
}

/**
 * Interprets the options of every element of `file`. Names in an element's options are looked
 * up from the scope that contains the element (protoc's rule), e.g. the package for a top-level
 * message, the message for its fields.
 */
export function interpretOptions(file: ProtoFile, ctx: LinkContext): void {
  const run = (holder: OptionsHolder, optionsMessage: string, scope: string, field?: FieldDecl) => {
    if (holder.options.length === 0) return
    const root = ctx.message(`google.protobuf.${optionsMessage}`)
    const target: Target = { kind: TARGET_OF[optionsMessage]!, field }
    const seen = holder.options.length > 1 ? new Set<string>() : undefined
    for (let i = 0, list = holder.options; i < list.length; i++) {
      const opt = list[i]!
      interpretOne(file, opt, root, scope, target, ctx)
      if (seen) checkSetOnce(file, opt, seen, ctx)
    }
  }
  run(file, 'FileOptions', file.package)
  for (let i = 0, list = file.enums; i < list.length; i++) {
    const e = list[i]!
    run(e, 'EnumOptions', file.package)
    for (let i = 0, list = e.values; i < list.length; i++) {
      const v = list[i]!
      run(v, 'EnumValueOptions', file.package)
    }
  }
  for (let i = 0, list = file.extensions; i < list.length; i++) {
    const f = list[i]!
    run(f, 'FieldOptions', file.package, f)
  }
  forEachMessage(file, (m) => {
    const outer = m.parent ? m.parent.fullName : file.package
    run(m, 'MessageOptions', outer)
    for (let i = 0, list = m.fields; i < list.length; i++) {
      const f = list[i]!
      run(f, 'FieldOptions', m.fullName, f)
    }
    for (let i = 0, list = m.extensions; i < list.length; i++) {
      const f = list[i]!
      run(f, 'FieldOptions', m.fullName, f)
    }
    for (let i = 0, list = m.oneofs; i < list.length; i++) {
      const o = list[i]!
      run(o, 'OneofOptions', m.fullName)
    }
    for (let i = 0, list = m.extensionDecls; i < list.length; i++) {
      const d = list[i]!
      run(d, 'ExtensionRangeOptions', outer)
    }
    for (let i = 0, list = m.enums; i < list.length; i++) {
      const e = list[i]!
      run(e, 'EnumOptions', m.fullName)
      for (let i = 0, list = e.values; i < list.length; i++) {
        const v = list[i]!
        run(v, 'EnumValueOptions', m.fullName)
      }
    }
  })
  for (let i = 0, list = file.services; i < list.length; i++) {
    const s = list[i]!
    run(s, 'ServiceOptions', file.package)
    for (let i = 0, list = s.methods; i < list.length; i++) {
      const m = list[i]!
      run(m, 'MethodOptions', s.fullName)
    }
  }
}

/** A non-repeated option may be set once per element (by the same name path). */
function checkSetOnce(file: ProtoFile, opt: OptionDecl, seen: Set<string>, ctx: LinkContext): void {
  const path = opt.fieldPath
  if (path.length === 0 || path.length !== opt.nameParts.length) return
  const last = path[path.length - 1]!
  if (last.label === 'repeated' || last.mapEntry) return
  const key = path.map((f) => f.number).join('.')
  if (seen.has(key)) ctx.error(file, opt.nameSpan, `option \`${opt.nameText}\` set multiple times`)
  seen.add(key)
}

/** Values of `targets` on an option field (which elements it may be set on); undefined when unrestricted. */
function targetsOf(f: FieldDecl): string[] | undefined {
  let out: string[] | undefined
  for (let i = 0, list = f.options; i < list.length; i++) {
    const o = list[i]!
    if (o.nameText === 'targets' && o.value.kind === 'identifier') (out ??= []).push(o.value.name)
  }
  return out
}

/** `at` carries the position to report (a name part or a literal entry). */
function checkTarget(file: ProtoFile, f: FieldDecl, target: Target, at: { nameSpan: Span }, ctx: LinkContext): boolean {
  const targets = targetsOf(f)
  if (!targets || targets.includes(target.kind)) return true
  ctx.error(file, at.nameSpan, `unsupported option target for \`${f.name}\``)
  return false
}

function interpretOne(file: ProtoFile, opt: OptionDecl, root: MessageDecl | undefined, scope: string, target: Target, ctx: LinkContext): void {
  const field = target.field
  const first = opt.nameParts[0]!
  if (field && !first.extension && opt.nameParts.length === 1 && (first.name === 'default' || first.name === 'json_name')) {
    if (first.name === 'json_name') {
      if (opt.value.kind !== 'string') ctx.error(file, opt.valueSpan, 'mismatched types')
    } else checkDefault(file, field, opt, scope, ctx)
    return
  }
  if (!root) {
    ctx.error(file, opt.nameSpan, 'cannot interpret options: google/protobuf/descriptor.proto is not available')
    return
  }
  let cur: MessageDecl | undefined = root
  let last: FieldDecl | undefined
  for (let i = 0, list = opt.nameParts; i < list.length; i++) {
    const part = list[i]!
    if (!cur) {
      ctx.error(file, part.span, `cannot set a field of \`${last!.name}\`: it is not a message`)
      return
    }
    let f: FieldDecl | undefined
    if (part.extension) {
      f = extensionOf(file, scope, cur, part.name, part, 'span', ctx)
      if (!f) return
    } else {
      f = ctx.field(cur, part.name)
      if (!f) {
        ctx.error(file, part.span, `cannot find message field \`${part.name}\` in \`${cur.fullName}\``)
        return
      }
      if (cur === root && part.name === 'features' && file.syntax !== 'editions') {
        ctx.error(file, part.span, `\`features\` cannot be set in "${file.syntax}"`)
        return
      }
    }
    if (!checkTarget(file, f, target, part, ctx)) return
    opt.fieldPath = append(opt.fieldPath, f)
    last = f
    cur = f.type === 'message' || f.type === 'group' ? f.resolvedMessage : undefined
  }
  if (cur === undefined && root !== undefined && opt.fieldPath[0]?.extendeeMessage === undefined) checkStandardOption(file, opt, target, ctx)
  checkValue(file, last!, opt.value, scope, ctx, false, target)
}

/**
 * The extension `name`, written in `scope`, when it extends `msg`; otherwise reports why not (at
 * `at.nameSpan`, or at `at[notExtensionAt]` when the name means something else) and returns undefined.
 */
function extensionOf(file: ProtoFile, scope: string, msg: MessageDecl, name: string, at: { span: Span; nameSpan: Span }, notExtensionAt: 'span' | 'nameSpan', ctx: LinkContext): FieldDecl | undefined {
  const found = ctx.resolveExtension(file, scope, name)
  if (!found) ctx.error(file, at.nameSpan, `cannot find \`${name}\` in this scope`)
  else if (!('kind' in found)) ctx.error(file, at[notExtensionAt], `expected \`${msg.fullName}\` extension, found ${found.found}`)
  else if (found.extendeeMessage !== msg) ctx.error(file, at.nameSpan, `\`${name}\` does not extend \`${msg.fullName}\``)
  else return found
  return undefined
}

/** Rules for descriptor.proto's own options that depend on the element they are set on. */
function checkStandardOption(file: ProtoFile, opt: OptionDecl, target: Target, ctx: LinkContext): void {
  const name = opt.nameText
  const f = target.field
  if (name === 'map_entry') ctx.error(file, opt.nameSpan, '`map_entry` cannot be set explicitly')
  else if (name === 'packed' && f && f.label !== 'repeated') ctx.error(file, f.typeSpan, 'expected repeated field, found singular field')
  else if (name === 'features.field_presence' && f && (f.label === 'repeated' || f.mapEntry)) {
    ctx.error(file, f.labelSpan ? f.lines.span(f.labelStart, f.typeEnd) : f.typeSpan, 'expected singular field, found repeated field')
  }
}

function checkDefault(file: ProtoFile, field: FieldDecl, opt: OptionDecl, scope: string, ctx: LinkContext): void {
  if (field.cardinality === 'repeated' || field.label === 'repeated' || field.mapEntry) {
    ctx.error(file, opt.span, 'repeated fields cannot have default values')
    return
  }
  if (field.type === 'message' || field.type === 'group') {
    ctx.error(file, opt.span, 'message fields cannot have default values')
    return
  }
  checkValue(file, field, opt.value, scope, ctx, false, undefined)
}

/**
 * Checks `value` against the type of `field`; `inLiteral` allows text-format spellings
 * (`t`/`True`, numeric enum values, lists).
 */
function checkValue(file: ProtoFile, field: FieldDecl, value: OptionValue, scope: string, ctx: LinkContext, inLiteral: boolean, target: Target | undefined): void {
  if (value.kind === 'list') {
    if (field.label !== 'repeated' && field.cardinality !== 'repeated' && !field.mapEntry) ctx.error(file, value.span, 'mismatched types')
    for (let i = 0, list = value.values; i < list.length; i++) {
      const v = list[i]!
      checkValue(file, field, v, scope, ctx, inLiteral, target)
    }
    return
  }
  const type = field.type
  if (type === undefined) return // unresolved; already reported
  const mismatch = () => ctx.error(file, value.span, 'mismatched types')
  switch (type) {
    case 'message':
    case 'group':
      if (value.kind !== 'message') return mismatch()
      if (field.resolvedMessage) checkMessageLiteral(file, field.resolvedMessage, value, scope, ctx, target)
      return
    case 'bool':
      if (value.kind === 'identifier' && !value.negative) {
        const ok = value.name === 'true' || value.name === 'false' || (inLiteral && ['t', 'f', 'True', 'False'].includes(value.name))
        if (ok) return
      }
      if (inLiteral && value.kind === 'int' && (value.value === 0n || value.value === 1n)) return
      return mismatch()
    case 'enum': {
      const en = field.resolvedEnum
      if (value.kind === 'identifier' && !value.negative) {
        if (en && !en.values.some((v) => v.name === value.name)) ctx.error(file, value.span, `cannot find \`${value.name}\` in this scope`)
        return
      }
      if (inLiteral && value.kind === 'int') return
      return mismatch()
    }
    case 'string':
    case 'bytes':
      if (value.kind !== 'string') return mismatch()
      if (type === 'string' && value.bytes) ctx.error(file, value.span, 'string value is not valid UTF-8')
      return
    case 'float':
    case 'double':
      if (value.kind === 'int' || value.kind === 'float') return
      if (value.kind === 'identifier' && /^(inf|infinity|nan)$/i.test(value.name)) return
      return mismatch()
    default: {
      if (value.kind !== 'int') return mismatch()
      const range = INT_RANGES[type]!
      if (value.value < range[0] || value.value > range[1]) ctx.error(file, value.span, `integer value out of range for \`${type}\``)
    }
  }
}

function checkMessageLiteral(file: ProtoFile, msg: MessageDecl, value: MessageValue, scope: string, ctx: LinkContext, target: Target | undefined): void {
  for (let i = 0, list = value.fields; i < list.length; i++) {
    const entry = list[i]!
    if (entry.nameKind === 'any') {
      if (msg.fullName !== 'google.protobuf.Any') {
        ctx.error(file, entry.nameSpan, `type URLs can only be used in google.protobuf.Any values, not in \`${msg.fullName}\``)
        continue
      }
      const typeName = entry.name.slice(entry.name.lastIndexOf('/') + 1)
      const t = ctx.resolveType(file, scope, '.' + typeName)
      if (t?.kind !== 'message') {
        ctx.error(file, entry.nameSpan, `cannot find \`${typeName}\` in this scope`)
        continue
      }
      if (entry.value.kind !== 'message') ctx.error(file, entry.value.span, 'mismatched types')
      else checkMessageLiteral(file, t.decl, entry.value, scope, ctx, target)
      continue
    }
    let f: FieldDecl | undefined
    if (entry.nameKind === 'extension') {
      f = extensionOf(file, scope, msg, entry.name, entry, 'nameSpan', ctx)
      if (!f) continue
    } else {
      f = ctx.field(msg, entry.name)
      if (!f) {
        ctx.error(file, entry.nameSpan, `cannot find message field \`${entry.name}\` in \`${msg.fullName}\``)
        continue
      }
    }
    entry.field = f
    if (target && !checkTarget(file, f, target, entry, ctx)) continue
    checkValue(file, f, entry.value, scope, ctx, true, target)
  }
}
