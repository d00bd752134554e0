/**
 * What a lint rule sees, and the small helpers rules share: turning AST spans into finding spans
 * and naming the declarations whose leading comments may carry `buf:lint:ignore`.
 */
import type {
  EnumDecl,
  EnumValueDecl,
  FieldDecl,
  MessageDecl,
  MethodDecl,
  OneofDecl,
  OptionDecl,
  OptionsHolder,
  ProtoFile,
  ServiceDecl
} from '../../proto/ast.js'
import type { Span as SourceSpan } from '../../proto/span.js'
import type { CommentScope, RuleSpec, Span } from '../types.js'

/** The lint options of buf.yaml, resolved to their defaults. */
export interface LintOptions {
  enumZeroValueSuffix: string
  serviceSuffix: string
  rpcAllowSameRequestResponse: boolean
  rpcAllowGoogleProtobufEmptyRequests: boolean
  rpcAllowGoogleProtobufEmptyResponses: boolean
}

export interface LintContext {
  /**
   * The module's own files (buf's non-import files), sorted by path. Their imports, linked
   * through `ImportDecl.file`, are the rest of the build.
   */
  files: readonly ProtoFile[]
  options: LintOptions
}

export type LintRule = RuleSpec<'lint', LintContext>

/** A finding span in `file`; paths are the file's import path, the engine maps them for output. */
export function spanIn(file: ProtoFile, span: SourceSpan): Span {
  return { path: file.path, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn }
}

/** buf's location for findings about a whole file: 1:1–1:1. */
export function wholeFile(file: ProtoFile): Span {
  return { path: file.path, line: 1, column: 1, endLine: 1, endColumn: 1 }
}

export function messageScope(message: MessageDecl): CommentScope[] {
  const chain: CommentScope[] = []
  for (let m: MessageDecl | undefined = message; m; m = m.parent) chain.unshift(m)
  return chain
}

export function fieldScope(field: FieldDecl): CommentScope[] {
  if (field.extend) {
    // buf looks comments up by source path, and every extend block of a file (or of one message)
    // shares the path of the extensions list, so the first block's comment is the one it finds.
    const container = field.extend.parent
    const firstBlock = (container ?? field.file).extends[0] ?? field.extend
    return [...(container ? messageScope(container) : []), firstBlock, field]
  }
  return field.parent ? [...messageScope(field.parent), field] : [field]
}

export function oneofScope(oneof: OneofDecl): CommentScope[] {
  return [...messageScope(oneof.parent), oneof]
}

export function enumScope(e: EnumDecl): CommentScope[] {
  return e.parent ? [...messageScope(e.parent), e] : [e]
}

export function enumValueScope(value: EnumValueDecl): CommentScope[] {
  return [...enumScope(value.parent), value]
}

export function serviceScope(service: ServiceDecl): CommentScope[] {
  return [service]
}

export function methodScope(method: MethodDecl): CommentScope[] {
  return [method.parent, method]
}

/** An option statement's own comments count, plus those of what it is attached to. */
export function optionScope(owner: CommentScope[], option: OptionDecl): CommentScope[] {
  return [...owner, option]
}

/** Every message of the file, nested and synthetic ones included, depth first. */
export function* messagesOf(file: ProtoFile): Generator<MessageDecl> {
  const stack: MessageDecl[] = [...file.messages].reverse()
  while (stack.length > 0) {
    const m = stack.pop()!
    yield m
    for (let i = m.messages.length - 1; i >= 0; i--) stack.push(m.messages[i]!)
  }
}

/** Every enum of the file, nested ones included. */
export function* enumsOf(file: ProtoFile): Generator<EnumDecl> {
  yield* file.enums
  for (const m of messagesOf(file)) yield* m.enums
}

/** Every field and extension of the file, in buf's order: per message fields then extensions, then file extensions. */
export function* fieldsOf(file: ProtoFile): Generator<FieldDecl> {
  for (const m of messagesOf(file)) {
    yield* m.fields
    yield* m.extensions
  }
  yield* file.extensions
}

export function* oneofsOf(file: ProtoFile): Generator<OneofDecl> {
  for (const m of messagesOf(file)) yield* m.oneofs
}

export function* methodsOf(file: ProtoFile): Generator<MethodDecl> {
  for (const s of file.services) yield* s.methods
}

/** Printable ASCII without quotes or backslashes: %q leaves it as is. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

/** Go's %q for the names buf puts in messages: double quotes with Go escapes. */
export function quote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(ch) || (cp > 0x7f && /^\p{Zs}$/u.test(ch))) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0')
    } else out += ch
  }
  return out + '"'
}

/** Where buf points for a file's package: the `package` statement, or the whole file when there is none. */
export function packageLocation(file: ProtoFile): { span: Span; scope: CommentScope[] } {
  const decl = file.packageDecl
  return decl ? { span: spanIn(file, decl.span), scope: [decl] } : { span: wholeFile(file), scope: [] }
}

/** The directory of a file path, "." for the module root (Go's path.Dir). */
export function directoryOf(filePath: string): string {
  const slash = filePath.lastIndexOf('/')
  return slash < 0 ? '.' : filePath.slice(0, slash)
}

/** Groups items by a key, keeping first-seen order of keys. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/** A method's request or response type as buf names it: fully qualified, without the leading dot. */
export function methodTypeName(resolved: string | undefined, written: string): string {
  const name = resolved ?? written
  return name.startsWith('.') ? name.slice(1) : name
}

/** Every declaration of the file that can carry options. */
export function* optionHoldersOf(file: ProtoFile): Generator<OptionsHolder> {
  yield file
  for (const m of messagesOf(file)) {
    yield m
    yield* m.fields
    yield* m.extensions
    yield* m.oneofs
    yield* m.extensionDecls
  }
  yield* file.extensions
  for (const e of enumsOf(file)) {
    yield e
    yield* e.values
  }
  for (const s of file.services) {
    yield s
    yield* s.methods
  }
}
