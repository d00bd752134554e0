/**
 * Links parsed files: import resolution, symbol registration, type/extendee/method resolution
 * with protoc's scoping rules, option interpretation, feature resolution and the semantic
 * checks protoc/buf report as compile errors. Errors are collected, not thrown.
 *
 * Loops over node lists here (and in options.ts, resolve-features.ts) are indexed on purpose:
 * for-of allocates an iterator result per element until V8 optimizes the function, which over a
 * corpus-sized compile came to ~200 MB of garbage.
 */
import {
  SCALAR_TYPES,
  forEachEnum,
  forEachField,
  forEachMessage,
  type EnumDecl,
  type ExtendDecl,
  type FieldDecl,
  type FieldType,
  type MessageDecl,
  type ProtoFile,
  type RangeDecl
} from './ast.js'
import { ProtoError, errorAt } from './errors.js'
import { resolveFeatures } from './resolve-features.js'
import { interpretOptions } from './options.js'
import { MAX_FIELD_NUMBER } from './parser.js'
import type { Span } from './span.js'
import { FileScope, SymbolTable, isType, type Symbol } from './symbols.js'

const FIRST_RESERVED_NUMBER = 19_000
const LAST_RESERVED_NUMBER = 19_999

/** State shared by the linking passes. */
export class LinkContext {
  readonly symbols = new SymbolTable()
  readonly scopes = new Map<ProtoFile, FileScope>()
  readonly errors: ProtoError[] = []
  /** descriptor.proto, always available to option interpretation (as in buf). */
  descriptor: ProtoFile | undefined
  /** Extensions by extendee full name (no leading dot) and number. */
  readonly extensionsByExtendee = new Map<string, Map<number, FieldDecl>>()
  private readonly fieldIndex = new Map<MessageDecl, Map<string, FieldDecl>>()
  private readonly memberIndex = new Map<MessageDecl, Map<string, string>>()

  /** Records an error at `span` (a declaration span; reported with buf's byte columns). */
  error(file: ProtoFile, span: Pick<Span, 'start' | 'end'> | undefined, message: string): void {
    this.errors.push(span ? errorAt(file.path, file.lines, span.start, span.end, message) : new ProtoError(file.path, undefined, message))
  }

  scope(file: ProtoFile): FileScope {
    let s = this.scopes.get(file)
    if (!s) {
      s = new FileScope(file)
      this.scopes.set(file, s)
    }
    return s
  }

  /** A message's field by name. */
  field(msg: MessageDecl, name: string): FieldDecl | undefined {
    let index = this.fieldIndex.get(msg)
    if (!index) {
      index = new Map()
      for (let i = 0, list = msg.fields; i < list.length; i++) {
        const f = list[i]!
        index.set(f.name, f)
      }
      this.fieldIndex.set(msg, index)
    }
    return index.get(name)
  }

  /** What a name means among a message's members that are not in the symbol table ('message field', 'oneof', 'enum value'). */
  private memberKind(scope: string, name: string): string | undefined {
    const s = this.symbols.get(scope)
    if (s?.kind !== 'message') return undefined
    let members = this.memberIndex.get(s.decl)
    if (!members) {
      members = new Map()
      for (let i = 0, list = s.decl.fields; i < list.length; i++) {
        const f = list[i]!
        members.set(f.name, 'message field')
      }
      for (let i = 0, list = s.decl.oneofs; i < list.length; i++) {
        const o = list[i]!
        members.set(o.name, 'oneof')
      }
      for (let i = 0, list = s.decl.enums; i < list.length; i++) {
        const e = list[i]!
        for (const v of e.values) members.set(v.name, 'enum value')
      }
      this.memberIndex.set(s.decl, members)
    }
    return members.get(name)
  }

  message(fullName: string): MessageDecl | undefined {
    const s = this.symbols.get(fullName)
    return s?.kind === 'message' ? s.decl : undefined
  }

  /** Resolves a type name written in `file` inside `scope`; marks the import that provides it as used. */
  resolveType(file: ProtoFile, scope: string, name: string): Extract<Symbol, { kind: 'message' | 'enum' }> | undefined {
    const fs = this.scope(file)
    const s = this.symbols.lookup(name, scope, fs, 'type')
    if (!s || s.kind === 'member' || !isType(s)) return undefined
    if (s.file !== file) fs.use(s.file)
    return s
  }

  /**
   * Resolves an extension name (option names, `[ext]` in message literals) written in `file`
   * inside `scope`. Like protoc, the innermost symbol of that name wins even when it is not an
   * extension; then the result says what was found instead.
   */
  resolveExtension(file: ProtoFile, scope: string, name: string): FieldDecl | { found: string } | undefined {
    const fs = this.scope(file)
    const s = this.symbols.lookup(name, scope, fs, 'any', (sc, n) => this.memberKind(sc, n))
    if (!s) return undefined
    if (s.kind === 'member') return { found: `${s.what} in \`${s.scope}\`` }
    if (s.kind !== 'extension') return { found: `${s.kind === 'enumValue' ? 'enum value' : s.kind} \`${'decl' in s ? s.decl.fullName : s.name}\`` }
    if (s.file !== file) fs.use(s.file)
    return s.decl
  }
}

/**
 * Links `files` (every file of the compilation, dependencies first or not — order only decides
 * which duplicate is reported). Returns the errors found.
 */
export function link(files: readonly ProtoFile[], ctx: LinkContext): ProtoError[] {
  ctx.descriptor = files.find((f) => f.path === 'google/protobuf/descriptor.proto')
  checkImportCycles(files, ctx)
  for (const f of files) registerSymbols(f, ctx)
  for (const f of files) resolveFile(f, ctx)
  for (const f of files) interpretOptions(f, ctx)
  for (const f of files) resolveFeatures(f)
  for (const f of files) validateFile(f, ctx)
  return ctx.errors
}

/** Depth-first over imports (iteratively: import chains can be long); an import that closes a cycle is reported and cut. */
function checkImportCycles(files: readonly ProtoFile[], ctx: LinkContext): void {
  const state = new Map<ProtoFile, 1 | 2>() // 1 on the current path, 2 done
  for (const root of files) {
    if (state.has(root)) continue
    state.set(root, 1)
    const stack: { file: ProtoFile; next: number }[] = [{ file: root, next: 0 }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      if (top.next === top.file.imports.length) {
        state.set(top.file, 2)
        stack.pop()
        continue
      }
      const imp = top.file.imports[top.next++]!
      const dep = imp.file
      if (!dep) continue
      const s = state.get(dep)
      if (s === 1) {
        ctx.error(top.file, imp.span, `detected cyclic import while importing ${JSON.stringify(imp.path)}`)
        imp.file = undefined
      } else if (s === undefined) {
        state.set(dep, 1)
        stack.push({ file: dep, next: 0 })
      }
    }
  }
}

// ---- symbols ----------------------------------------------------------------------------------

function registerSymbols(file: ProtoFile, ctx: LinkContext): void {
  const define = (name: string, sym: Exclude<Symbol, { kind: 'package' }>): void => {
    const existing = ctx.symbols.define(name, sym)
    if (!existing) return
    // buf points at the first declaration.
    if (existing.kind === 'package') ctx.error(file, sym.decl.nameSpan, `\`${name}\` is already declared as a package`)
    else ctx.error(existing.file, existing.decl.nameSpan, `\`${name.slice(name.lastIndexOf('.') + 1)}\` declared multiple times`)
  }

  let pkg = file.package
  while (pkg !== '') {
    const existing = ctx.symbols.define(pkg, { kind: 'package', name: pkg, files: [file] })
    if (existing?.kind === 'package') existing.files.push(file)
    else if (existing) ctx.error(existing.file, existing.decl.nameSpan, `\`${pkg}\` is already declared as a package`)
    const dot = pkg.lastIndexOf('.')
    pkg = dot < 0 ? '' : pkg.slice(0, dot)
  }

  for (let i = 0, list = file.enums; i < list.length; i++) {
    const e = list[i]!
    define(e.fullName, { kind: 'enum', decl: e, file })
    for (let i = 0, list = e.values; i < list.length; i++) {
      const v = list[i]!
      define(v.fullName, { kind: 'enumValue', decl: v, file })
    }
  }
  for (let i = 0, list = file.extensions; i < list.length; i++) {
    const x = list[i]!
    define(x.fullName, { kind: 'extension', decl: x, file })
  }
  const defineMessage = (m: MessageDecl) => {
    define(m.fullName, { kind: 'message', decl: m, file })
    for (let i = 0, list = m.enums; i < list.length; i++) {
      const e = list[i]!
      define(e.fullName, { kind: 'enum', decl: e, file })
    }
    for (let i = 0, list = m.extensions; i < list.length; i++) {
      const x = list[i]!
      define(x.fullName, { kind: 'extension', decl: x, file })
    }
    for (let i = 0, list = m.messages; i < list.length; i++) {
      const n = list[i]!
      defineMessage(n)
    }
    checkMemberNames(m, ctx)
  }
  for (let i = 0, list = file.messages; i < list.length; i++) {
    const m = list[i]!
    defineMessage(m)
  }
  for (let i = 0, list = file.services; i < list.length; i++) {
    const s = list[i]!
    define(s.fullName, { kind: 'service', decl: s, file })
    const methods = new Set<string>()
    for (let i = 0, list = s.methods; i < list.length; i++) {
      const m = list[i]!
      if (methods.has(m.name)) ctx.error(file, m.nameSpan, `\`${m.name}\` declared multiple times`)
      methods.add(m.name)
    }
  }
}

type Named = { spanStart: number; nameSpan: Span }
/** Reused by checkMemberNames (one message at a time). */
const memberNames = new Map<string, Named>()

/**
 * Fields, oneofs and nested enum values share the message's scope with its nested types and
 * extensions. buf reports a clash at the declaration it registered first: a type before a
 * member, otherwise the earlier one. (Clashes between two types or extensions are reported by
 * the global table.)
 */
function checkMemberNames(m: MessageDecl, ctx: LinkContext): void {
  if (m.fields.length + m.oneofs.length + m.enums.length + m.messages.length + m.extensions.length < 2) return
  const members = memberNames
  members.clear()
  const addMember = (name: string, decl: Named) => {
    const prev = members.get(name)
    if (prev === undefined) members.set(name, decl)
    else ctx.error(m.file, (prev.spanStart <= decl.spanStart ? prev : decl).nameSpan, `\`${name}\` declared multiple times`)
  }
  const checkType = (name: string, decl: Named) => {
    if (members.has(name)) ctx.error(m.file, decl.nameSpan, `\`${name}\` declared multiple times`)
  }
  for (let i = 0, list = m.fields; i < list.length; i++) addMember(list[i]!.name, list[i]!)
  for (let i = 0, list = m.oneofs; i < list.length; i++) if (!list[i]!.synthetic) addMember(list[i]!.name, list[i]!)
  for (let i = 0, list = m.enums; i < list.length; i++) {
    for (let j = 0, values = list[i]!.values; j < values.length; j++) addMember(values[j]!.name, values[j]!)
  }
  if (members.size === 0) return
  for (let i = 0, list = m.messages; i < list.length; i++) if (list[i]!.synthetic !== 'group') checkType(list[i]!.name, list[i]!)
  for (let i = 0, list = m.enums; i < list.length; i++) checkType(list[i]!.name, list[i]!)
  for (let i = 0, list = m.extensions; i < list.length; i++) checkType(list[i]!.name, list[i]!)
}

// ---- type resolution --------------------------------------------------------------------------

function resolveFile(file: ProtoFile, ctx: LinkContext): void {
  forEachField(file, (f) => resolveField(f, ctx))
  for (let i = 0, list = file.services; i < list.length; i++) {
    const svc = list[i]!
    for (let i = 0, list = svc.methods; i < list.length; i++) {
      const m = list[i]!
      const input = ctx.resolveType(file, svc.fullName, m.inputType)
      if (input?.kind === 'message') {
        m.resolvedInputType = '.' + input.decl.fullName
        m.inputMessage = input.decl
      } else ctx.error(file, m.inputTypeSpan, input ? `\`${m.inputType}\` is an enum; rpc request types must be messages` : `cannot find \`${m.inputType}\` in this scope`)
      const output = ctx.resolveType(file, svc.fullName, m.outputType)
      if (output?.kind === 'message') {
        m.resolvedOutputType = '.' + output.decl.fullName
        m.outputMessage = output.decl
      } else ctx.error(file, m.outputTypeSpan, output ? `\`${m.outputType}\` is an enum; rpc response types must be messages` : `cannot find \`${m.outputType}\` in this scope`)
    }
  }
}

function resolveField(f: FieldDecl, ctx: LinkContext): void {
  const file = f.file
  const scope = f.parent ? f.parent.fullName : file.package
  if (f.extend) {
    const ext = ctx.resolveType(file, scope, f.extend.extendee)
    if (ext?.kind === 'message') {
      f.extendeeMessage = ext.decl
      let byNumber = ctx.extensionsByExtendee.get(ext.decl.fullName)
      if (!byNumber) ctx.extensionsByExtendee.set(ext.decl.fullName, (byNumber = new Map()))
      const dup = byNumber.get(f.number)
      if (dup && dup !== f) ctx.error(file, f.numberSpan, `field number \`${f.number}\` used more than once`)
      else byNumber.set(f.number, f)
    } else if (f.extend.fields[0] === f) {
      ctx.error(file, f.extend.extendeeSpan, ext ? `\`${f.extend.extendee}\` is an enum; only messages can be extended` : `cannot find \`${f.extend.extendee}\` in this scope`)
    }
  }
  if (f.group) {
    f.type = 'group'
    f.resolvedMessage = f.group
    return
  }
  if (f.mapEntry) {
    f.type = 'message'
    f.resolvedMessage = f.mapEntry
    return
  }
  if (SCALAR_TYPES.has(f.typeName)) {
    f.type = f.typeName as FieldType
    return
  }
  // Map entry fields resolve from the map field's message, like protoc.
  const t = ctx.resolveType(file, f.parent?.synthetic === 'map-entry' ? f.parent.parent!.fullName : scope, f.typeName)
  if (!t) {
    ctx.error(file, f.typeSpan, `cannot find \`${f.typeName}\` in this scope`)
    return
  }
  if (t.kind === 'message') {
    f.type = 'message'
    f.resolvedMessage = t.decl
  } else {
    f.type = 'enum'
    f.resolvedEnum = t.decl
  }
}

// ---- validation -------------------------------------------------------------------------------

function validateFile(file: ProtoFile, ctx: LinkContext): void {
  for (let i = 0, list = file.imports; i < list.length; i++) {
    const imp = list[i]!
    if (imp.modifier === 'public') imp.used = true
  }
  forEachMessage(file, (m) => validateMessage(m, ctx))
  forEachEnum(file, (e) => validateEnum(e, ctx))
  for (let i = 0, list = file.extends; i < list.length; i++) validateExtend(file, list[i]!, ctx)
  forEachMessage(file, (m) => {
    for (let i = 0, list = m.extends; i < list.length; i++) validateExtend(file, list[i]!, ctx)
  })
}

/** Reused by validateMessage and checkJsonNames (one message at a time). */
const fieldNumbers = new Map<number, FieldDecl>()
const jsonNames = new Set<string>()

function validateMessage(m: MessageDecl, ctx: LinkContext): void {
  const file = m.file
  const proto3 = file.syntax === 'proto3'
  if (proto3 && m.extensionDecls.length > 0) {
    for (let i = 0, list = m.extensionDecls; i < list.length; i++) {
      const d = list[i]!
      for (const r of d.ranges) ctx.error(file, r.span, 'extension range in "proto3"')
    }
  }
  checkRanges(file, m.reservedRanges, 'field number', ctx)
  checkRanges(file, m.extensionRanges, 'extension', ctx)
  const reservedNames = m.reservedNames.length === 0 ? undefined : new Set(m.reservedNames.map((n) => n.name))
  const byNumber = fieldNumbers
  byNumber.clear()
  for (let i = 0, list = m.fields; i < list.length; i++) {
    const f = list[i]!
    if (f.number < 1 || f.number > MAX_FIELD_NUMBER || (f.number >= FIRST_RESERVED_NUMBER && f.number <= LAST_RESERVED_NUMBER)) {
      if (m.synthetic !== 'map-entry') ctx.error(file, f.numberSpan, 'field number out of range')
      continue
    }
    const prev = byNumber.get(f.number)
    if (prev) ctx.error(file, f.numberSpan, `field number \`${f.number}\` used more than once`)
    else byNumber.set(f.number, f)
    if (inRanges(m.reservedRanges, f.number)) ctx.error(file, f.numberSpan, `use of reserved field number \`${f.number}\``)
    if (inRanges(m.extensionRanges, f.number)) ctx.error(file, f.numberSpan, `field number \`${f.number}\` is inside an extension range`)
    if (reservedNames?.has(f.name)) ctx.error(file, f.nameSpan, 'use of reserved message field name')
    if (f.mapEntry) validateMapKey(f, ctx)
    if (f.resolvedEnum?.closed) {
      if (proto3) ctx.error(file, f.typeSpan, `closed enum \`${f.resolvedEnum.fullName}\` cannot be used in a "proto3" message`)
      else if (f.cardinality !== 'repeated' && f.features?.field_presence === 'IMPLICIT') {
        ctx.error(file, f.typeSpan, `closed enum \`${f.resolvedEnum.fullName}\` cannot be used in an implicit-presence field`)
      }
    }
    if (proto3 && f.option('default')) ctx.error(file, f.option('default')!.span, 'custom default in "proto3"')
  }
  for (let i = 0, list = m.oneofs; i < list.length; i++) {
    const o = list[i]!
    if (!o.synthetic && o.fields.length === 0) ctx.error(file, o.span, 'oneof must define at least one member')
  }
  if (m.synthetic !== 'map-entry') checkJsonNames(m, ctx)
}

const MAP_KEY_TYPES: ReadonlySet<string> = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string'])

function validateMapKey(f: FieldDecl, ctx: LinkContext): void {
  const key = f.mapEntry!.fields[0]!
  if (key.type !== undefined && !MAP_KEY_TYPES.has(key.type)) {
    const what = SCALAR_TYPES.has(key.typeName) ? `scalar type \`${key.typeName}\`` : `type \`${key.typeName}\``
    ctx.error(f.file, key.typeSpan, `expected map key type, found ${what}`)
  }
}

/** proto3 (and editions with json_format ALLOW): no two fields may share a JSON name (case-sensitive, as buf). */
function checkJsonNames(m: MessageDecl, ctx: LinkContext): void {
  if (m.features?.json_format !== 'ALLOW') return
  if (m.fields.length < 2 || m.boolOption('deprecated_legacy_json_field_conflicts') === true) return
  const seen = jsonNames
  seen.clear()
  for (let i = 0, list = m.fields; i < list.length; i++) {
    const f = list[i]!
    const json = f.jsonName
    if (!seen.has(json)) {
      seen.add(json)
      continue
    }
    const opt = f.option('json_name')
    ctx.error(f.file, opt ? opt.valueSpan : f.nameSpan, 'message fields have the same JSON name')
  }
}

function validateExtend(file: ProtoFile, ext: ExtendDecl, ctx: LinkContext): void {
  const target = ext.fields[0]?.extendeeMessage
  if (!target) return
  const isOptionsMessage = target.file === ctx.descriptor && target.fullName.endsWith('Options')
  if (file.syntax === 'proto3' && !isOptionsMessage) {
    ctx.error(file, { start: ext.spanStart, end: ext.spanStart + 'extend'.length }, `expected built-in options message, found message type \`${target.fullName}\``)
  }
  for (let i = 0, list = ext.fields; i < list.length; i++) {
    const f = list[i]!
    if (!inRanges(target.extensionRanges, f.number)) ctx.error(file, f.numberSpan, `extension with unreserved number \`${f.number}\``)
    const json = f.option('json_name')
    if (json) ctx.error(file, json.span, 'message extension cannot specify `json_name`')
  }
}

function validateEnum(e: EnumDecl, ctx: LinkContext): void {
  const file = e.file
  const first = e.values[0]
  if (!first) {
    ctx.error(file, e.span, 'enum must define at least one value')
    return
  }
  if (!e.closed && first.number !== 0) ctx.error(file, first.numberSpan, 'first value of open enum must be zero')
  checkRanges(file, e.reservedRanges, 'enum value', ctx)
  const allowAlias = e.boolOption('allow_alias') === true
  const reservedNames = new Set(e.reservedNames.map((n) => n.name))
  const byNumber = new Map<number, string>()
  for (let i = 0, list = e.values; i < list.length; i++) {
    const v = list[i]!
    if (!allowAlias && byNumber.has(v.number)) ctx.error(file, v.numberSpan, `enum value \`${v.number}\` used more than once`)
    else byNumber.set(v.number, v.name)
    if (inRanges(e.reservedRanges, v.number)) ctx.error(file, v.numberSpan, `use of reserved enum value \`${v.number}\``)
    if (reservedNames.has(v.name)) ctx.error(file, v.nameSpan, 'use of reserved enum value name')
  }
}

/** Sorted view of ranges for O(log n) membership tests. */
class RangeIndex {
  private readonly starts: number[]
  /** Largest end among ranges sorted at or before each position. */
  private readonly maxEnds: number[]
  constructor(ranges: readonly RangeDecl[]) {
    const sorted = [...ranges].sort((a, b) => a.start - b.start)
    this.starts = sorted.map((r) => r.start)
    this.maxEnds = []
    let max = -Infinity
    for (const r of sorted) this.maxEnds.push((max = Math.max(max, r.end)))
  }
  has(n: number): boolean {
    let lo = 0
    let hi = this.starts.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.starts[mid]! <= n) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found >= 0 && this.maxEnds[found]! >= n
  }
}

const rangeIndexes = new WeakMap<readonly RangeDecl[], RangeIndex>()

function inRanges(ranges: readonly RangeDecl[], n: number): boolean {
  if (ranges.length === 0) return false
  let index = rangeIndexes.get(ranges)
  if (!index) rangeIndexes.set(ranges, (index = new RangeIndex(ranges)))
  return index.has(n)
}

/** Reports each range that overlaps an earlier-declared one (at the later declaration, as buf). */
function checkRanges(file: ProtoFile, ranges: readonly RangeDecl[], what: string, ctx: LinkContext): void {
  if (ranges.length < 2) return
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start || a - b)
  let maxEnd = -Infinity
  let maxIndex = -1
  const reported = new Set<number>()
  for (const i of order) {
    const r = ranges[i]!
    if (r.start <= maxEnd) {
      const later = Math.max(i, maxIndex)
      if (!reported.has(later)) {
        reported.add(later)
        ctx.error(file, ranges[later]!.span, `overlapping ${what} ranges`)
      }
    }
    if (r.end > maxEnd) {
      maxEnd = r.end
      maxIndex = i
    }
  }
}
