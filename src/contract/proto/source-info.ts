/**
 * The SourceCodeInfo buf 1.75 records for a linked file: one location per descriptor path
 * (e.g. [4, 0, 2, 1] = second field of the first message) with its span and comments. buf's
 * lint and breaking rules report these locations, so a rule that knows the descriptor path of
 * what it flags can report exactly buf's position with `locationOf`.
 *
 * Quirks reproduced on purpose: only the first `reserved` statement of a body gets a location
 * of its own; every extension range repeats its statement's location; message-typed options get
 * a location without the `option` keyword and `;`; map entries and synthetic oneofs have none.
 */
import {
  ExtensionsDecl,
  type EnumDecl,
  type EnumValueDecl,
  type FieldDecl,
  type MessageDecl,
  type MessageValue,
  type MethodDecl,
  type OneofDecl,
  type OptionDecl,
  type OptionsHolder,
  type ProtoFile,
  type RangeDecl,
  type ServiceDecl
} from './ast.js'
import type { Span } from './span.js'

export interface SourceLocation {
  path: readonly number[]
  span: Span
  leadingComments?: string
  trailingComments?: string
  leadingDetachedComments: readonly string[]
}

/** Field numbers of descriptor.proto used as path components. */
const TAG = {
  file: { package: 2, dependency: 3, messageType: 4, enumType: 5, service: 6, extension: 7, options: 8, publicDependency: 10, weakDependency: 11, syntax: 12, optionDependency: 15 },
  message: { name: 1, field: 2, nestedType: 3, enumType: 4, extensionRange: 5, extension: 6, options: 7, oneofDecl: 8, reservedRange: 9, reservedName: 10 },
  field: { name: 1, extendee: 2, number: 3, label: 4, type: 5, typeName: 6, defaultValue: 7, options: 8, jsonName: 10 },
  oneof: { name: 1, options: 2 },
  enum: { name: 1, value: 2, options: 3, reservedRange: 4, reservedName: 5 },
  enumValue: { name: 1, number: 2, options: 3 },
  service: { name: 1, method: 2, options: 3 },
  method: { name: 1, inputType: 2, outputType: 3, options: 4, clientStreaming: 5, serverStreaming: 6 },
  range: { start: 1, end: 2, options: 3 }
} as const

interface Commented {
  span: Span
  comments: { leading?: string; trailing?: string; leadingDetached: readonly string[] }
}

class Builder {
  readonly out: SourceLocation[] = []
  private readonly path: number[] = []

  within(components: number[], body: () => void): void {
    const n = this.path.length
    this.path.push(...components)
    body()
    this.path.length = n
  }

  span(span: Span, ...components: number[]): void {
    this.out.push({ path: [...this.path, ...components], span, leadingDetachedComments: [] })
  }

  comments(decl: Commented, ...components: number[]): void {
    const c = decl.comments
    const loc: SourceLocation = { path: [...this.path, ...components], span: decl.span, leadingDetachedComments: c.leadingDetached }
    if (c.leading !== undefined && c.leading !== '') loc.leadingComments = c.leading
    if (c.trailing !== undefined && c.trailing !== '') loc.trailingComments = c.trailing
    this.out.push(loc)
  }
}

/** buf's SourceCodeInfo locations for a linked file, ordered as buf orders them (file first, then by span). */
export function sourceLocations(file: ProtoFile): SourceLocation[] {
  const b = new Builder()
  if (file.packageDecl) b.comments(file.packageDecl, TAG.file.package)
  if (file.syntaxDecl) b.comments(file.syntaxDecl, TAG.file.syntax)
  let publicIndex = 0
  let weakIndex = 0
  let optionIndex = 0
  file.imports.forEach((imp, i) => {
    if (imp.modifier !== 'option') b.comments(imp, TAG.file.dependency, i)
    if (imp.modifier === 'public') b.span(imp.modifierSpan!, TAG.file.publicDependency, publicIndex++)
    else if (imp.modifier === 'weak') b.span(imp.modifierSpan!, TAG.file.weakDependency, weakIndex++)
    else if (imp.modifier === 'option') b.comments(imp, TAG.file.optionDependency, optionIndex++)
  })
  file.messages.forEach((m, i) => b.within([TAG.file.messageType, i], () => message(b, m)))
  file.enums.forEach((e, i) => b.within([TAG.file.enumType, i], () => enumType(b, e)))
  file.services.forEach((s, i) => b.within([TAG.file.service, i], () => service(b, s)))
  let extIndex = 0
  for (const ext of file.extends) {
    b.comments(ext, TAG.file.extension)
    for (const f of ext.fields) b.within([TAG.file.extension, extIndex++], () => field(b, f))
  }
  optionLocations(b, file, TAG.file.options)
  const sorted = b.out.map((loc, i) => ({ loc, i })).sort((x, y) => compareSpans(x.loc.span, y.loc.span) || x.i - y.i).map((x) => x.loc)
  sorted.unshift({ path: [], span: file.span, leadingDetachedComments: [] })
  return sorted
}

/** buf's order: SourceCodeInfo span arrays ([line, col, endCol] or [line, col, endLine, endCol]) compared element-wise. */
function compareSpans(a: Span, b: Span): number {
  const x = spanArray(a)
  const y = spanArray(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

/** The 0-based SourceCodeInfo span array of a span. */
export function spanArray(s: Span): number[] {
  return s.line === s.endLine ? [s.line - 1, s.column - 1, s.endColumn - 1] : [s.line - 1, s.column - 1, s.endLine - 1, s.endColumn - 1]
}

const indexes = new WeakMap<ProtoFile, Map<string, SourceLocation>>()

/**
 * The location buf records for `path` (as in SourceCodeInfo, e.g. [4, 0, 2, 1] = second field of
 * the first message), or undefined. The file's locations are computed once and cached; a file
 * must be linked (compile) before its locations are asked for.
 */
export function locationOf(file: ProtoFile, path: readonly number[]): SourceLocation | undefined {
  let index = indexes.get(file)
  if (!index) {
    index = new Map()
    for (const loc of sourceLocations(file)) {
      const key = loc.path.join('.')
      if (!index.has(key)) index.set(key, loc)
    }
    indexes.set(file, index)
  }
  return index.get(path.join('.'))
}

function message(b: Builder, m: MessageDecl): void {
  if (m.synthetic === 'map-entry') return
  b.comments(m)
  b.span(m.nameSpan, TAG.message.name)
  m.fields.forEach((f, i) => b.within([TAG.message.field, i], () => field(b, f)))
  let extIndex = 0
  for (const ext of m.extends) {
    b.comments(ext, TAG.message.extension)
    for (const f of ext.fields) b.within([TAG.message.extension, extIndex++], () => field(b, f))
  }
  m.messages.forEach((n, i) => b.within([TAG.message.nestedType, i], () => message(b, n)))
  m.enums.forEach((e, i) => b.within([TAG.message.enumType, i], () => enumType(b, e)))
  m.extensionRanges.forEach((r, i) => {
    const statement = r.statement
    b.comments(statement, TAG.message.extensionRange)
    b.within([TAG.message.extensionRange, i], () => {
      range(b, r)
      if (statement instanceof ExtensionsDecl && statement.options.length > 0) {
        b.within([TAG.range.options], () => {
          b.span(statement.optionsSpan!)
          optionValues(b, statement.options)
        })
      }
    })
  })
  if (m.reservedRanges.length > 0) b.comments(m.reservedRanges[0]!.statement, TAG.message.reservedRange)
  m.reservedRanges.forEach((r, i) => b.within([TAG.message.reservedRange, i], () => range(b, r)))
  if (m.reservedNames.length > 0) b.comments(m.reservedNames[0]!.statement, TAG.message.reservedName)
  m.reservedNames.forEach((n, i) => b.span(n.span, TAG.message.reservedName, i))
  m.oneofs.forEach((o, i) => {
    if (!o.synthetic) b.within([TAG.message.oneofDecl, i], () => oneof(b, o))
  })
  optionLocations(b, m, TAG.message.options)
}

function range(b: Builder, r: RangeDecl): void {
  b.span(r.span)
  b.span(r.startSpan, TAG.range.start)
  b.span(r.endSpan, TAG.range.end)
}

function field(b: Builder, f: FieldDecl): void {
  if (f.synthetic) return
  if (f.group) b.span(f.span)
  else b.comments(f)
  b.span(f.nameSpan, TAG.field.name)
  b.span(f.numberSpan, TAG.field.number)
  if (f.labelSpan) b.span(f.labelSpan, TAG.field.label)
  if (f.type !== undefined) b.span(f.typeSpan, f.resolvedTypeName === undefined ? TAG.field.type : TAG.field.typeName)
  if (f.extend) b.span(f.extend.extendeeSpan, TAG.field.extendee)
  const real = f.options.filter((o) => !isPseudoOption(o))
  if (real.length > 0) {
    b.within([TAG.field.options], () => {
      b.span(f.optionsSpan!)
      optionValues(b, real)
    })
  }
  const json = f.option('json_name')
  if (json) b.span(json.span, TAG.field.jsonName)
  const def = f.option('default')
  if (def) b.span(def.span, TAG.field.defaultValue)
}

function isPseudoOption(o: OptionDecl): boolean {
  return o.nameParts.length === 1 && !o.nameParts[0]!.extension && (o.nameText === 'json_name' || o.nameText === 'default')
}

function oneof(b: Builder, o: OneofDecl): void {
  b.comments(o)
  b.span(o.nameSpan, TAG.oneof.name)
  optionLocations(b, o, TAG.oneof.options)
}

function enumType(b: Builder, e: EnumDecl): void {
  b.comments(e)
  b.span(e.nameSpan, TAG.enum.name)
  e.values.forEach((v, i) => b.within([TAG.enum.value, i], () => enumValue(b, v)))
  if (e.reservedRanges.length > 0) b.comments(e.reservedRanges[0]!.statement, TAG.enum.reservedRange)
  e.reservedRanges.forEach((r, i) => b.within([TAG.enum.reservedRange, i], () => range(b, r)))
  if (e.reservedNames.length > 0) b.comments(e.reservedNames[0]!.statement, TAG.enum.reservedName)
  e.reservedNames.forEach((n, i) => b.span(n.span, TAG.enum.reservedName, i))
  optionLocations(b, e, TAG.enum.options)
}

function enumValue(b: Builder, v: EnumValueDecl): void {
  b.comments(v)
  b.span(v.nameSpan, TAG.enumValue.name)
  b.span(v.numberSpan, TAG.enumValue.number)
  if (v.options.length > 0) {
    b.within([TAG.enumValue.options], () => {
      b.span(v.optionsSpan!)
      optionValues(b, v.options)
    })
  }
}

function service(b: Builder, s: ServiceDecl): void {
  b.comments(s)
  b.span(s.nameSpan, TAG.service.name)
  s.methods.forEach((m, i) => b.within([TAG.service.method, i], () => method(b, m)))
  optionLocations(b, s, TAG.service.options)
}

function method(b: Builder, m: MethodDecl): void {
  b.comments(m)
  b.span(m.nameSpan, TAG.method.name)
  if (m.clientStreamSpan) b.span(m.clientStreamSpan, TAG.method.clientStreaming)
  b.span(m.inputTypeSpan, TAG.method.inputType)
  if (m.serverStreamSpan) b.span(m.serverStreamSpan, TAG.method.serverStreaming)
  b.span(m.outputTypeSpan, TAG.method.outputType)
  optionLocations(b, m, TAG.method.options)
}

/** Options written as `option …;` statements in a body: one location per statement, then per value. */
function optionLocations(b: Builder, holder: OptionsHolder, tag: number): void {
  if (holder.options.length === 0) return
  b.within([tag], () => {
    for (const o of holder.options) b.span(o.span)
    optionValues(b, holder.options)
  })
}

/** Where one option set a field: the option (or message literal entry) and the span buf gives it. */
interface Contribution {
  span: Span
  statement: OptionDecl | undefined
  /** A message literal assigned to the field by name alone (`(a) = { … }`), which buf gives a location of its own. */
  literal: boolean
}

/** The fields an options message ends up with, as buf's option IR holds them. */
interface ValueNode {
  field: FieldDecl
  contributions: Contribution[]
  children: Map<FieldDecl, ValueNode>
}

function child(children: Map<FieldDecl, ValueNode>, f: FieldDecl): ValueNode {
  let n = children.get(f)
  if (!n) {
    n = { field: f, contributions: [], children: new Map() }
    children.set(f, n)
  }
  return n
}

function isSingularMessage(f: FieldDecl): boolean {
  return (f.type === 'message' || f.type === 'group') && f.cardinality !== 'repeated' && f.label !== 'repeated'
}

function addLiteral(node: ValueNode, value: MessageValue): void {
  for (const entry of value.fields) {
    if (!entry.field) continue
    const c = child(node.children, entry.field)
    c.contributions.push({ span: entry.span, statement: undefined, literal: false })
    if (entry.value.kind === 'message' && isSingularMessage(entry.field)) addLiteral(c, entry.value)
  }
}

function optionValues(b: Builder, options: readonly OptionDecl[]): void {
  const root = new Map<FieldDecl, ValueNode>()
  for (const o of options) {
    if (isPseudoOption(o) || o.fieldPath.length !== o.nameParts.length || o.fieldPath.length === 0) continue
    // An option statement's own span leaves out `option` and `;`; a compact option is its element.
    const span = o.compact ? o.span : o.lines.span(o.nameParts[0]!.spanStart, o.value.spanEnd)
    let children = root
    let node: ValueNode | undefined
    const literal = o.fieldPath.length === 1 && o.value.kind === 'message'
    for (const f of o.fieldPath) {
      node = child(children, f)
      node.contributions.push({ span, statement: o.compact ? undefined : o, literal })
      children = node.children
    }
    if (o.value.kind === 'message' && isSingularMessage(node!.field)) addLiteral(node!, o.value)
  }
  emit(b, root, true)
}

function emit(b: Builder, nodes: Map<FieldDecl, ValueNode>, topLevel: boolean): void {
  for (const node of nodes.values()) {
    const f = node.field
    if (isSingularMessage(f)) {
      if (topLevel) for (const c of node.contributions) if (c.literal) b.span(c.span, f.number)
      b.within([f.number], () => emit(b, node.children, false))
      continue
    }
    const repeated = f.cardinality === 'repeated' || f.label === 'repeated'
    node.contributions.forEach((c, index) => {
      const path = repeated ? [f.number, index] : [f.number]
      if (c.statement) b.comments(c.statement, ...path)
      else b.span(c.span, ...path)
    })
  }
}
