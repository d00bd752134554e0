/**
 * Recursive-descent parser for proto2, proto3 and editions files. One pass over the token
 * stream with at most three tokens of lookahead, no backtracking; stops at the first error (a
 * ProtoError). Builds the descriptor-shaped tree of ast.ts, including the synthetic elements
 * protoc adds (map entry messages, group messages, proto3-optional oneofs).
 */
import {
  EMPTY,
  EnumDecl,
  EnumValueDecl,
  ExtendDecl,
  ExtensionsDecl,
  FieldDecl,
  FloatValue,
  IdentifierValue,
  ImportDecl,
  IntValue,
  ListValue,
  MessageDecl,
  MessageFieldValue,
  MessageValue,
  MethodDecl,
  NO_COMMENTS,
  OneofDecl,
  OptionDecl,
  OptionNamePart,
  PackageDecl,
  ProtoFile,
  RangeDecl,
  ReservedDecl,
  ReservedName,
  ServiceDecl,
  StringValue,
  SyntaxDecl,
  append,
  exact,
  type Comments,
  type Label,
  type OptionValue
} from './ast.js'
import { DeclComments } from './comments.js'
import { errorAt, type ProtoError } from './errors.js'
import { SUPPORTED_EDITIONS } from './features.js'
import { Tok, tokenize, type Tokens } from './lexer.js'
import { mapEntryName } from './names.js'
import type { LineTable } from './span.js'

/** Deepest nesting of bodies and message literals; deeper input is rejected instead of overflowing the stack. */
const MAX_NESTING = 100

/** Largest field number; also the value of `max` in message ranges. */
export const MAX_FIELD_NUMBER = 536_870_911
const INT32_MAX = 2_147_483_647
const INT32_MIN = -2_147_483_648

const CH = {
  lbrace: 123,
  rbrace: 125,
  lbrack: 91,
  rbrack: 93,
  lparen: 40,
  rparen: 41,
  lt: 60,
  gt: 62,
  semi: 59,
  comma: 44,
  dot: 46,
  eq: 61,
  minus: 45,
  colon: 58,
  slash: 47
} as const

/** Parses one file. Throws ProtoError on the first syntax error. */
export function parseFile(path: string, text: string): ProtoFile {
  return new Parser(path, tokenize(path, text)).parse()
}

interface TypeRef {
  name: string
  start: number
  end: number
}

class Parser {
  private readonly path: string
  private readonly t: Tokens
  private readonly text: string
  private readonly lines: LineTable
  private i = 0
  private file!: ProtoFile
  private pkgPrefix = ''
  private depth = 0
  private refStart = 0
  private refEnd = 0
  private nameText = ''
  private listStart = 0
  private listEnd = 0

  constructor(path: string, tokens: Tokens) {
    this.path = path
    this.t = tokens
    this.text = tokens.text
    this.lines = tokens.lines
  }

  // ---- token helpers ----------------------------------------------------------------------

  private kind(i = this.i): Tok {
    return this.t.kind[i] as Tok
  }
  private tokText(i = this.i): string {
    return this.text.slice(this.t.start[i], this.t.end[i])
  }
  private isSym(ch: number, i = this.i): boolean {
    return this.t.kind[i] === Tok.Symbol && this.text.charCodeAt(this.t.start[i]!) === ch
  }
  private isWord(word: string, i = this.i): boolean {
    const s = this.t.start[i]!
    return this.t.kind[i] === Tok.Ident && this.t.end[i]! - s === word.length && this.text.startsWith(word, s)
  }
  /** Start offset of token i. */
  private s(i: number): number {
    return this.t.start[i]!
  }
  /** End offset of token i. */
  private e(i: number): number {
    return this.t.end[i]!
  }
  private describe(i = this.i): string {
    switch (this.kind(i)) {
      case Tok.EOF:
        return 'end of file'
      case Tok.String:
        return 'string literal'
      case Tok.Int:
      case Tok.Float:
        return `number ${this.tokText(i)}`
      default:
        return `'${this.tokText(i)}'`
    }
  }
  private error(message: string, i = this.i): ProtoError {
    return this.errorAt(message, this.s(i), this.e(i))
  }
  private errorAt(message: string, start: number, end: number): ProtoError {
    return errorAt(this.path, this.lines, start, end, message)
  }
  private expectSym(ch: number, context: string): number {
    if (!this.isSym(ch)) throw this.error(`expected '${String.fromCharCode(ch)}' ${context}, found ${this.describe()}`)
    return this.i++
  }
  private expectIdent(context: string): number {
    if (this.kind() !== Tok.Ident) throw this.error(`expected ${context}, found ${this.describe()}`)
    return this.i++
  }
  /** Leading/detached comments of token `first`, trailing comment of token `last`. */
  private comments(first: number, last: number): Comments {
    const t = this.t
    const leading = t.leadingStart[first]!
    const trailing = t.trailingStart[last]!
    const detached = t.detached.size === 0 ? undefined : t.detached.get(first)
    if (leading < 0 && trailing < 0 && detached === undefined) return NO_COMMENTS
    return new DeclComments(this.lines, leading, leading < 0 ? -1 : t.leadingEnd[first]!, trailing, trailing < 0 ? -1 : t.trailingEnd[last]!, detached)
  }

  // ---- file ---------------------------------------------------------------------------------

  parse(): ProtoFile {
    const last = this.t.count - 2 // the token before EOF
    this.file = last >= 0 ? new ProtoFile(this.path, this.lines, this.s(0), this.e(last)) : new ProtoFile(this.path, this.lines, 0, 0)
    if ((this.isWord('syntax') || this.isWord('edition')) && this.isSym(CH.eq, this.i + 1)) this.parseSyntax()
    while (this.kind() !== Tok.EOF) this.parseTopLevel()
    const f = this.file
    f.imports = exact(f.imports)
    f.options = exact(f.options)
    f.messages = exact(f.messages)
    f.enums = exact(f.enums)
    f.services = exact(f.services)
    f.extends = exact(f.extends)
    f.extensions = exact(f.extensions)
    return f
  }

  private parseSyntax(): void {
    const first = this.i
    const keyword = this.isWord('syntax') ? 'syntax' : 'edition'
    this.i += 2
    if (this.kind() !== Tok.String) throw this.error(`expected a string after '${keyword} =', found ${this.describe()}`)
    const value = this.parseStringValue()
    const last = this.expectSym(CH.semi, `after the ${keyword} declaration`)
    if (keyword === 'syntax') {
      if (value.value !== 'proto2' && value.value !== 'proto3') {
        throw this.errorAt(`unrecognized syntax ${JSON.stringify(value.value)}: expected "proto2" or "proto3"`, value.spanStart, value.spanEnd)
      }
      this.file.syntax = value.value
    } else {
      if (!SUPPORTED_EDITIONS.includes(value.value)) {
        throw this.errorAt(`unsupported edition ${JSON.stringify(value.value)}: expected one of ${SUPPORTED_EDITIONS.map((e) => `"${e}"`).join(', ')}`, value.spanStart, value.spanEnd)
      }
      this.file.syntax = 'editions'
      this.file.edition = value.value
    }
    this.file.syntaxDecl = new SyntaxDecl(this.lines, this.s(first), this.e(last), keyword, value.value, value.spanStart, value.spanEnd, this.comments(first, last))
  }

  private parseTopLevel(): void {
    if (this.isSym(CH.semi)) {
      this.i++
      return
    }
    if (this.kind() !== Tok.Ident) throw this.error(`unexpected ${this.describe()} at top level: expected a declaration`)
    const file = this.file
    if (this.isWord('import')) return this.parseImport()
    if (this.isWord('package')) return this.parsePackage()
    if (this.isWord('option')) {
      file.options = append(file.options, this.parseOptionStatement())
      return
    }
    if (this.isWord('message')) {
      file.messages = append(file.messages, this.parseMessage(undefined, this.i))
      return
    }
    if (this.isWord('enum')) {
      file.enums = append(file.enums, this.parseEnum(undefined, this.i))
      return
    }
    if (this.isWord('service')) return this.parseService()
    if (this.isWord('extend')) return this.parseExtend(undefined)
    if (this.isWord('export') || this.isWord('local')) return this.parseVisibility(undefined)
    if ((this.isWord('syntax') || this.isWord('edition')) && this.isSym(CH.eq, this.i + 1)) {
      throw this.error(`the ${this.tokText()} declaration must be the first statement of the file`)
    }
    throw this.error(`unexpected ${this.describe()} at top level: expected import, package, option, message, enum, service or extend`)
  }

  private parseVisibility(parent: MessageDecl | undefined): void {
    const visibility = this.tokText() as 'export' | 'local'
    if (this.file.syntax !== 'editions' || this.file.edition === '2023') throw this.error(`'${visibility}' requires edition 2024 or later`)
    this.i++
    const container = parent ?? this.file
    // buf's span and comments of the declaration start at `message`/`enum`, not at the modifier.
    if (this.isWord('message')) {
      const m = this.parseMessage(parent, this.i)
      m.visibility = visibility
      container.messages = append(container.messages, m)
    } else if (this.isWord('enum')) {
      const e = this.parseEnum(parent, this.i)
      e.visibility = visibility
      container.enums = append(container.enums, e)
    } else throw this.error(`expected 'message' or 'enum' after '${visibility}', found ${this.describe()}`)
  }

  private parseImport(): void {
    const first = this.i++
    let modifier: ImportDecl['modifier']
    let modifierTok = -1
    if (this.isWord('public') || this.isWord('weak') || this.isWord('option')) {
      modifier = this.tokText() as 'public' | 'weak' | 'option'
      if (modifier === 'option' && (this.file.syntax !== 'editions' || this.file.edition === '2023')) throw this.error(`'import option' requires edition 2024 or later`)
      modifierTok = this.i++
    }
    if (this.kind() !== Tok.String) throw this.error(`expected the imported file's path as a string, found ${this.describe()}`)
    const path = this.parseStringValue()
    const last = this.expectSym(CH.semi, 'after the import')
    const imp = new ImportDecl(
      this.lines, this.s(first), this.e(last), path.value, modifier, path.spanStart, path.spanEnd,
      modifierTok < 0 ? -1 : this.s(modifierTok), modifierTok < 0 ? -1 : this.e(modifierTok), this.comments(first, last)
    )
    this.file.imports = append(this.file.imports, imp)
  }

  private parsePackage(): void {
    const first = this.i++
    if (this.file.packageDecl) throw this.error('a file can declare only one package', first)
    const nameFirst = this.i
    const name = this.parseDottedName('a package name')
    const nameLast = this.i - 1
    const last = this.expectSym(CH.semi, 'after the package name')
    this.file.packageDecl = new PackageDecl(this.lines, this.s(first), this.e(last), name, this.s(nameFirst), this.e(nameLast), this.comments(first, last))
    this.pkgPrefix = name + '.'
  }

  /** `a.b.c` (no leading dot). */
  private parseDottedName(what: string): string {
    const first = this.expectIdent(what)
    while (this.isSym(CH.dot)) {
      this.i++
      this.expectIdent(`an identifier after '.' in ${what}`)
    }
    return this.joinedText(first, this.i - 1)
  }

  /** A type reference: `Foo`, `a.b.Foo`, `.a.b.Foo`. */
  private parseTypeRef(what: string): TypeRef {
    const name = this.parseTypeName(what)
    return { name, start: this.refStart, end: this.refEnd }
  }

  /** Like parseTypeRef without allocating: the offsets are left in refStart/refEnd. */
  private parseTypeName(what: string): string {
    const first = this.i
    if (this.isSym(CH.dot)) this.i++
    this.expectIdent(what)
    while (this.isSym(CH.dot)) {
      this.i++
      this.expectIdent(`an identifier after '.' in ${what}`)
    }
    const last = this.i - 1
    this.refStart = this.s(first)
    this.refEnd = this.e(last)
    return this.joinedText(first, last)
  }

  /** The text of tokens first..last with whatever separates them removed (usually nothing: one slice). */
  private joinedText(first: number, last: number): string {
    let len = 0
    for (let k = first; k <= last; k++) len += this.e(k) - this.s(k)
    if (len === this.e(last) - this.s(first)) return this.text.slice(this.s(first), this.e(last))
    let out = ''
    for (let k = first; k <= last; k++) out += this.tokText(k)
    return out
  }

  // ---- options ------------------------------------------------------------------------------

  private parseOptionStatement(): OptionDecl {
    const first = this.i++
    const parts = this.parseOptionName()
    const nameText = this.nameText
    this.expectSym(CH.eq, `after the option name ${nameText}`)
    const value = this.parseOptionValue()
    const last = this.expectSym(CH.semi, 'after the option value')
    return new OptionDecl(this.lines, this.s(first), this.e(last), nameText, parts, value, false, this.comments(first, last))
  }

  /** An option name; its canonical text (the source without whitespace or comments) is left in nameText. */
  private parseOptionName(): readonly OptionNamePart[] {
    const first = this.i
    const part = this.parseOptionNamePart()
    if (!this.isSym(CH.dot)) {
      this.nameText = part.extension ? this.joinedText(first, this.i - 1) : part.name
      return [part]
    }
    const parts: OptionNamePart[] = [part]
    while (this.isSym(CH.dot)) {
      this.i++
      parts.push(this.parseOptionNamePart())
    }
    this.nameText = this.joinedText(first, this.i - 1)
    return exact(parts)
  }

  private parseOptionNamePart(): OptionNamePart {
    if (this.isSym(CH.lparen)) {
      const open = this.i++
      const name = this.parseTypeName('an extension name')
      const nameStart = this.refStart
      const nameEnd = this.refEnd
      const close = this.expectSym(CH.rparen, 'after the extension name')
      return new OptionNamePart(this.lines, this.s(open), this.e(close), name, true, nameStart, nameEnd)
    }
    const id = this.expectIdent('an option name')
    return new OptionNamePart(this.lines, this.s(id), this.e(id), this.tokText(id), false, this.s(id), this.e(id))
  }

  /** `[a = 1, (b).c = { … }]`; the bracket offsets are left in listStart/listEnd. */
  private parseCompactOptions(): readonly OptionDecl[] {
    const open = this.i++
    const options: OptionDecl[] = []
    for (;;) {
      const first = this.i
      const parts = this.parseOptionName()
      const nameText = this.nameText
      this.expectSym(CH.eq, `after the option name ${nameText}`)
      const value = this.parseOptionValue()
      options.push(new OptionDecl(this.lines, this.s(first), value.spanEnd, nameText, parts, value, true, NO_COMMENTS))
      if (this.isSym(CH.comma)) {
        this.i++
        continue
      }
      const close = this.expectSym(CH.rbrack, `or ',' after an option`)
      this.listStart = this.s(open)
      this.listEnd = this.e(close)
      return exact(options)
    }
  }

  /** The value after `option name =`: scalar, string(s) or a message literal. */
  private parseOptionValue(): OptionValue {
    if (this.isSym(CH.lbrace)) return this.parseMessageLiteral(CH.rbrace)
    return this.parseScalar('an option value')
  }

  private parseScalar(what: string): OptionValue {
    const first = this.i
    let negative = false
    if (this.isSym(CH.minus)) {
      negative = true
      this.i++
    }
    switch (this.kind()) {
      case Tok.Int: {
        const tok = this.i++
        const magnitude = parseIntLiteral(this.tokText(tok))
        return new IntValue(this.lines, this.s(first), this.e(tok), negative ? -magnitude : magnitude)
      }
      case Tok.Float: {
        const tok = this.i++
        const v = Number(this.tokText(tok))
        return new FloatValue(this.lines, this.s(first), this.e(tok), negative ? -v : v)
      }
      case Tok.Ident: {
        const tok = this.i++
        const name = this.tokText(tok)
        if (negative && !/^(inf|infinity|nan)$/i.test(name)) throw this.error(`'-' can only precede a number, inf or nan, not '${name}'`, tok)
        return new IdentifierValue(this.lines, this.s(first), this.e(tok), name, negative)
      }
      case Tok.String:
        if (negative) throw this.error(`'-' cannot precede a string`)
        return this.parseStringValue()
      default:
        throw this.error(`expected ${what}, found ${this.describe()}`)
    }
  }

  /** One or more adjacent string literals, concatenated. */
  private parseStringValue(): StringValue {
    const first = this.i
    let value = ''
    let bytes: number[] | undefined
    while (this.kind() === Tok.String) {
      const tok = this.i++
      const decoded = decodeStringLiteral(this.text, this.s(tok) + 1, this.e(tok) - 1)
      if (typeof decoded === 'string') {
        if (bytes) for (const b of Buffer.from(decoded, 'utf8')) bytes.push(b)
        else value = value === '' ? decoded : value + decoded
      } else if (Array.isArray(decoded)) {
        bytes ??= [...Buffer.from(value, 'utf8')]
        for (const b of decoded) bytes.push(b)
      } else {
        throw this.error(decoded.error, tok)
      }
    }
    const start = this.s(first)
    const end = this.e(this.i - 1)
    if (!bytes) return new StringValue(this.lines, start, end, value, undefined)
    const arr = Uint8Array.from(bytes)
    const text = utf8OrUndefined(arr)
    return text !== undefined ? new StringValue(this.lines, start, end, text, undefined) : new StringValue(this.lines, start, end, Buffer.from(arr).toString('utf8'), arr)
  }

  /** A text-format message: `{ a: 1 b { c: "x" } [ext.name]: 2 list: [1, 2] }`. */
  private parseMessageLiteral(close: number): MessageValue {
    const open = this.i++
    this.enter(open)
    const fields: MessageFieldValue[] = []
    while (!this.isSym(close)) {
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '${this.tokText(open)}': the message literal is not closed`, open)
      const nameFirst = this.i
      let name: string
      let nameKind: MessageFieldValue['nameKind'] = 'field'
      if (this.isSym(CH.lbrack)) {
        this.i++
        name = this.parseDottedName('an extension or type URL')
        nameKind = 'extension'
        while (this.isSym(CH.slash)) {
          this.i++
          nameKind = 'any'
          name += '/' + this.parseDottedName(`a type name after '/'`)
        }
        this.expectSym(CH.rbrack, 'after the extension name')
      } else {
        name = this.tokText(this.expectIdent('a field name in the message literal'))
      }
      const nameLast = this.i - 1
      let value: OptionValue
      if (this.isSym(CH.colon)) {
        this.i++
        value = this.parseTextValue(true)
      } else if (this.isSym(CH.lbrace) || this.isSym(CH.lt) || this.isSym(CH.lbrack)) {
        value = this.parseTextValue(false)
      } else {
        throw this.error(`expected ':' or a message value after the field name ${name}, found ${this.describe()}`)
      }
      fields.push(new MessageFieldValue(this.lines, this.s(nameFirst), this.e(nameLast), name, nameKind, value))
      if (this.isSym(CH.comma) || this.isSym(CH.semi)) this.i++
    }
    const end = this.i++
    this.depth--
    return new MessageValue(this.lines, this.s(open), this.e(end), fields.length === 0 ? EMPTY : exact(fields))
  }

  /** A value inside a message literal; `scalarAllowed` is false when no ':' preceded it. */
  private parseTextValue(scalarAllowed: boolean): OptionValue {
    if (this.isSym(CH.lbrace)) return this.parseMessageLiteral(CH.rbrace)
    if (this.isSym(CH.lt)) return this.parseMessageLiteral(CH.gt)
    if (this.isSym(CH.lbrack)) {
      const open = this.i++
      this.enter(open)
      const values: OptionValue[] = []
      while (!this.isSym(CH.rbrack)) {
        values.push(this.parseTextValue(scalarAllowed))
        if (this.isSym(CH.comma)) this.i++
        else if (!this.isSym(CH.rbrack)) throw this.error(`expected ',' or ']' in the list, found ${this.describe()}`)
      }
      const end = this.i++
      this.depth--
      return new ListValue(this.lines, this.s(open), this.e(end), exact(values))
    }
    if (!scalarAllowed) throw this.error(`expected ':' before a scalar value, found ${this.describe()}`)
    return this.parseScalar('a value')
  }

  // ---- messages -----------------------------------------------------------------------------

  private scopeName(parent: MessageDecl | undefined, name: string): string {
    return parent ? parent.fullName + '.' + name : this.pkgPrefix + name
  }

  /** `first` is the token the declaration starts with (`message`, or a visibility keyword before it). */
  private parseMessage(parent: MessageDecl | undefined, first: number): MessageDecl {
    this.i++ // message
    const nameTok = this.expectIdent('a message name')
    const name = this.tokText(nameTok)
    const open = this.expectSym(CH.lbrace, `after the message name ${name}`)
    const msg = new MessageDecl(this.file, this.s(first), this.e(open), name, this.s(nameTok), this.e(nameTok), parent, this.scopeName(parent, name))
    const close = this.parseMessageBody(msg, open)
    msg.spanEnd = this.e(close)
    msg.comments = this.comments(first, open)
    return msg
  }

  private enter(open: number): void {
    if (++this.depth > MAX_NESTING) throw this.error(`nesting too deep: more than ${MAX_NESTING} levels`, open)
  }

  /** Parses declarations up to and including the matching '}'; returns the '}' token index. */
  private parseMessageBody(msg: MessageDecl, open: number): number {
    this.enter(open)
    for (;;) {
      if (this.isSym(CH.rbrace)) break
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the body of message ${msg.name} is not closed`, open)
      if (this.isSym(CH.semi)) {
        this.i++
        continue
      }
      if (this.kind() !== Tok.Ident && !this.isSym(CH.dot)) throw this.error(`unexpected ${this.describe()} in message ${msg.name}`)
      const next = this.i + 1
      const nextIsName = this.kind(next) === Tok.Ident
      const nextIsEq = this.isSym(CH.eq, next)
      if (this.isWord('message') && nextIsName) msg.messages = append(msg.messages, this.parseMessage(msg, this.i))
      else if (this.isWord('enum') && nextIsName) msg.enums = append(msg.enums, this.parseEnum(msg, this.i))
      else if (this.isWord('extend') && !nextIsEq) this.parseExtend(msg)
      else if (this.isWord('extensions') && !nextIsEq) this.parseExtensions(msg)
      else if (this.isWord('reserved') && !nextIsEq) this.parseReserved(msg, undefined)
      else if (this.isWord('option') && !nextIsEq) msg.options = append(msg.options, this.parseOptionStatement())
      else if (this.isWord('oneof') && nextIsName) this.parseOneof(msg)
      else if ((this.isWord('export') || this.isWord('local')) && (this.isWord('message', next) || this.isWord('enum', next))) this.parseVisibility(msg)
      else this.parseField(msg, undefined, undefined)
    }
    const close = this.i++
    this.depth--
    this.addSyntheticOneofs(msg)
    msg.fields = exact(msg.fields)
    msg.oneofs = exact(msg.oneofs)
    msg.messages = exact(msg.messages)
    msg.enums = exact(msg.enums)
    msg.extends = exact(msg.extends)
    msg.extensions = exact(msg.extensions)
    msg.extensionRanges = exact(msg.extensionRanges)
    msg.extensionDecls = exact(msg.extensionDecls)
    msg.reservedRanges = exact(msg.reservedRanges)
    msg.reservedNames = exact(msg.reservedNames)
    msg.reservedDecls = exact(msg.reservedDecls)
    msg.options = exact(msg.options)
    return close
  }

  /** proto3 `optional` fields get a oneof `_name` each, after the real oneofs (protoc's order). */
  private addSyntheticOneofs(msg: MessageDecl): void {
    let taken: Set<string> | undefined
    for (const f of msg.fields) {
      if (!f.proto3Optional) continue
      taken ??= new Set([...msg.fields.map((x) => x.name), ...msg.oneofs.map((o) => o.name)])
      let name = f.name.startsWith('_') ? f.name : '_' + f.name
      while (taken.has(name)) name = 'X' + name
      taken.add(name)
      const oneof = new OneofDecl(msg, f.spanStart, f.spanEnd, name, f.nameStart, f.nameEnd, NO_COMMENTS)
      oneof.synthetic = true
      oneof.fields = [f]
      f.oneof = oneof
      msg.oneofs = append(msg.oneofs, oneof)
    }
  }

  private parseOneof(msg: MessageDecl): void {
    const first = this.i++
    const nameTok = this.i++
    const name = this.tokText(nameTok)
    const open = this.expectSym(CH.lbrace, `after the oneof name ${name}`)
    const oneof = new OneofDecl(msg, this.s(first), this.e(open), name, this.s(nameTok), this.e(nameTok), NO_COMMENTS)
    msg.oneofs = append(msg.oneofs, oneof)
    for (;;) {
      if (this.isSym(CH.rbrace)) break
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the body of oneof ${name} is not closed`, open)
      if (this.isSym(CH.semi)) {
        this.i++
        continue
      }
      if (this.isWord('option') && !this.isSym(CH.eq, this.i + 1)) oneof.options = append(oneof.options, this.parseOptionStatement())
      else this.parseField(msg, undefined, oneof)
    }
    const close = this.i++
    oneof.fields = exact(oneof.fields)
    oneof.options = exact(oneof.options)
    oneof.spanEnd = this.e(close)
    oneof.comments = this.comments(first, open)
  }

  /**
   * A field, map field or group, in a message (`oneof` set when inside one) or an extend block
   * (`extend` set; then `msg` is the message the extend block sits in, if any).
   */
  private parseField(msg: MessageDecl | undefined, extend: ExtendDecl | undefined, oneof: OneofDecl | undefined): void {
    const first = this.i
    const syntax = this.file.syntax
    let label: Label | undefined
    let labelTok = -1
    if (this.isWord('optional') || this.isWord('required') || this.isWord('repeated')) {
      // A label only when a type can follow; like protoc, `optional.Foo` is label + `.Foo`.
      if (this.kind(this.i + 1) === Tok.Ident || this.isSym(CH.dot, this.i + 1)) {
        label = this.tokText() as Label
        labelTok = this.i++
      }
    }
    if (label !== undefined) {
      if (oneof) throw this.error(`fields in a oneof cannot have a label ('${label}')`, labelTok)
      if (label === 'required' && syntax === 'proto3') throw this.error(`required fields are not allowed in proto3`, labelTok)
      if (label !== 'repeated' && syntax === 'editions') throw this.error(`the '${label}' label is not allowed in editions; use features.field_presence`, labelTok)
    }

    if (this.isWord('group') && this.kind(this.i + 1) === Tok.Ident && this.isSym(CH.eq, this.i + 2)) {
      return this.parseGroup(first, label, labelTok, msg, extend, oneof)
    }

    let typeName: string
    let typeStart: number
    let typeEnd: number
    let mapTypes: { key: TypeRef; value: TypeRef } | undefined
    if (this.isWord('map') && this.isSym(CH.lt, this.i + 1)) {
      const mapFirst = this.i
      this.i += 2
      const key = this.parseTypeRef('a map key type')
      this.expectSym(CH.comma, 'between the map key and value types')
      const value = this.parseTypeRef('a map value type')
      const close = this.expectSym(CH.gt, 'after the map value type')
      typeName = `map<${key.name}, ${value.name}>`
      typeStart = this.s(mapFirst)
      typeEnd = this.e(close)
      mapTypes = { key, value }
      if (label !== undefined) throw this.error(`map fields cannot have a label ('${label}')`, labelTok)
      if (oneof) throw this.errorAt('map fields cannot be declared in a oneof', typeStart, typeEnd)
      if (extend) throw this.errorAt('map fields cannot be extensions', typeStart, typeEnd)
    } else {
      typeName = this.parseTypeName('a field type')
      typeStart = this.refStart
      typeEnd = this.refEnd
    }

    if (label === undefined && !oneof && !mapTypes && syntax === 'proto2') {
      throw this.errorAt(`missing label: proto2 fields must be 'optional', 'required' or 'repeated'`, typeStart, typeEnd)
    }

    const nameTok = this.expectIdent('a field name')
    const name = this.tokText(nameTok)
    this.expectSym(CH.eq, `after the field name ${name}`)
    const numTok = this.parseFieldNumberToken(name)
    const field = new FieldDecl(
      this.file, this.s(first), 0, name, this.s(nameTok), this.e(nameTok), intLiteralNumber(this.tokText(numTok)), this.s(numTok), this.e(numTok),
      typeName, typeStart, typeEnd, NO_COMMENTS, msg
    )
    if (this.isSym(CH.lbrack)) {
      field.options = this.parseCompactOptions()
      field.optionsStart = this.listStart
      field.optionsEnd = this.listEnd
    }
    const last = this.expectSym(CH.semi, `after the declaration of field ${name}`)
    field.spanEnd = this.e(last)
    field.comments = this.comments(first, last)
    if (label !== undefined) {
      field.label = label
      field.labelStart = this.s(labelTok)
      field.labelEnd = this.e(labelTok)
    }
    if (mapTypes) field.mapEntry = this.makeMapEntry(msg!, field, mapTypes.key, mapTypes.value)
    this.attachField(field, msg, extend, oneof)
  }

  private parseFieldNumberToken(name: string): number {
    if (this.kind() !== Tok.Int) {
      if (this.isSym(CH.minus) && this.kind(this.i + 1) === Tok.Int) throw this.errorAt(`field numbers must be positive`, this.s(this.i), this.e(this.i + 1))
      throw this.error(`expected the field number of ${name}, found ${this.describe()}`)
    }
    return this.i++
  }

  private attachField(field: FieldDecl, msg: MessageDecl | undefined, extend: ExtendDecl | undefined, oneof: OneofDecl | undefined): void {
    if (extend) {
      field.extend = extend
      extend.fields = append(extend.fields, field)
      const container = msg ?? this.file
      container.extensions = append(container.extensions, field)
      return
    }
    msg!.fields = append(msg!.fields, field)
    if (oneof) {
      field.oneof = oneof
      oneof.fields = append(oneof.fields, field)
    }
  }

  private makeMapEntry(msg: MessageDecl, field: FieldDecl, key: TypeRef, value: TypeRef): MessageDecl {
    const name = mapEntryName(field.name)
    const entry = new MessageDecl(this.file, field.spanStart, field.spanEnd, name, field.nameStart, field.nameEnd, msg, msg.fullName + '.' + name)
    entry.synthetic = 'map-entry'
    const mk = (n: string, num: number, type: TypeRef) =>
      new FieldDecl(this.file, field.spanStart, field.spanEnd, n, field.nameStart, field.nameEnd, num, field.numberStart, field.numberEnd, type.name, type.start, type.end, NO_COMMENTS, entry)
    entry.fields = [mk('key', 1, key), mk('value', 2, value)]
    msg.messages = append(msg.messages, entry)
    return entry
  }

  private parseGroup(first: number, label: Label | undefined, labelTok: number, msg: MessageDecl | undefined, extend: ExtendDecl | undefined, oneof: OneofDecl | undefined): void {
    const groupTok = this.i++
    if (this.file.syntax !== 'proto2') throw this.error(`groups are not allowed in ${this.file.syntax === 'proto3' ? 'proto3' : 'editions'}; use a message field`, groupTok)
    if (label === undefined && !oneof) throw this.error(`missing label: proto2 fields must be 'optional', 'required' or 'repeated'`, groupTok)
    const nameTok = this.i++
    const name = this.tokText(nameTok)
    const c0 = name.charCodeAt(0)
    if (!(c0 >= 65 && c0 <= 90)) throw this.error(`group names must start with a capital letter`, nameTok)
    this.i++ // '='
    const numTok = this.parseFieldNumberToken(name)
    let options: readonly OptionDecl[] = EMPTY
    let optionsStart = -1
    let optionsEnd = -1
    if (this.isSym(CH.lbrack)) {
      options = this.parseCompactOptions()
      optionsStart = this.listStart
      optionsEnd = this.listEnd
    }
    const open = this.expectSym(CH.lbrace, `after the declaration of group ${name}`)

    const groupMsg = new MessageDecl(this.file, this.s(first), this.e(open), name, this.s(nameTok), this.e(nameTok), msg, this.scopeName(msg, name))
    groupMsg.synthetic = 'group'
    const close = this.parseMessageBody(groupMsg, open)
    groupMsg.spanEnd = this.e(close)
    groupMsg.comments = this.comments(first, open)
    const container = msg ?? this.file
    container.messages = append(container.messages, groupMsg)

    const fieldName = name.toLowerCase()
    const field = new FieldDecl(
      this.file, this.s(first), this.e(close), fieldName, this.s(nameTok), this.e(nameTok), intLiteralNumber(this.tokText(numTok)), this.s(numTok), this.e(numTok),
      name, this.s(groupTok), this.e(groupTok), NO_COMMENTS, msg
    )
    if (label !== undefined) {
      field.label = label
      field.labelStart = this.s(labelTok)
      field.labelEnd = this.e(labelTok)
    }
    field.options = options
    field.optionsStart = optionsStart
    field.optionsEnd = optionsEnd
    field.group = groupMsg
    this.attachField(field, msg, extend, oneof)
  }

  // ---- ranges -------------------------------------------------------------------------------

  private parseExtensions(msg: MessageDecl): void {
    const first = this.i++
    const decl = new ExtensionsDecl(this.lines, this.s(first), this.e(first))
    const ranges: RangeDecl[] = []
    for (;;) {
      ranges.push(this.parseRange(decl, MAX_FIELD_NUMBER, false))
      if (!this.isSym(CH.comma)) break
      this.i++
    }
    decl.ranges = exact(ranges)
    if (this.isSym(CH.lbrack)) {
      decl.options = this.parseCompactOptions()
      decl.optionsStart = this.listStart
      decl.optionsEnd = this.listEnd
    }
    const last = this.expectSym(CH.semi, 'after the extension ranges')
    decl.spanEnd = this.e(last)
    decl.comments = this.comments(first, last)
    msg.extensionDecls = append(msg.extensionDecls, decl)
    for (const r of ranges) msg.extensionRanges = append(msg.extensionRanges, r)
  }

  private parseReserved(msg: MessageDecl | undefined, en: EnumDecl | undefined): void {
    const first = this.i++
    const decl = new ReservedDecl(this.lines, this.s(first), this.e(first))
    const editions = this.file.syntax === 'editions'
    if (this.kind() === Tok.String || this.kind() === Tok.Ident) {
      const names: ReservedName[] = []
      for (;;) {
        if (this.kind() === Tok.String) {
          if (editions) throw this.error(`reserved names must be identifiers in editions, not strings`)
          const s = this.parseStringValue()
          names.push(new ReservedName(this.lines, s.spanStart, s.spanEnd, s.value, decl))
        } else if (this.kind() === Tok.Ident) {
          if (!editions) throw this.error(`reserved names must be strings in ${this.file.syntax}, e.g. "${this.tokText()}"`)
          names.push(new ReservedName(this.lines, this.s(this.i), this.e(this.i), this.tokText(), decl))
          this.i++
        } else throw this.error(`expected a reserved name, found ${this.describe()}`)
        if (!this.isSym(CH.comma)) break
        this.i++
      }
      decl.names = exact(names)
    } else {
      const ranges: RangeDecl[] = []
      for (;;) {
        ranges.push(this.parseRange(decl, en ? INT32_MAX : MAX_FIELD_NUMBER, en !== undefined))
        if (!this.isSym(CH.comma)) break
        this.i++
      }
      decl.ranges = exact(ranges)
    }
    const last = this.expectSym(CH.semi, 'after the reserved ranges or names')
    decl.spanEnd = this.e(last)
    decl.comments = this.comments(first, last)
    const target = msg ?? en!
    target.reservedDecls = append(target.reservedDecls, decl)
    for (const r of decl.ranges) target.reservedRanges = append(target.reservedRanges, r)
    for (const n of decl.names) target.reservedNames = append(target.reservedNames, n)
  }

  private parseRange(statement: ReservedDecl | ExtensionsDecl, max: number, allowNegative: boolean): RangeDecl {
    const lowFirst = this.i
    const start = this.parseRangeBound(allowNegative)
    const lowStart = this.s(lowFirst)
    const lowEnd = this.e(this.i - 1)
    if (!this.isWord('to')) return new RangeDecl(this.lines, lowStart, lowEnd, start, start, lowStart, lowEnd, lowStart, lowEnd, statement)
    this.i++
    const highFirst = this.i
    let end: number
    if (this.isWord('max')) {
      end = max
      this.i++
    } else end = this.parseRangeBound(allowNegative)
    const highEnd = this.e(this.i - 1)
    if (end < start) throw this.errorAt(`range end ${end} is smaller than its start ${start}`, lowStart, highEnd)
    return new RangeDecl(this.lines, lowStart, highEnd, start, end, lowStart, lowEnd, this.s(highFirst), highEnd, statement)
  }

  private parseRangeBound(allowNegative: boolean): number {
    const first = this.i
    let negative = false
    if (allowNegative && this.isSym(CH.minus)) {
      negative = true
      this.i++
    }
    if (this.kind() !== Tok.Int) throw this.error(`expected a number in the range, found ${this.describe()}`)
    const magnitude = intLiteralNumber(this.tokText(this.i++))
    const v = negative ? -magnitude : magnitude
    if (v > INT32_MAX || v < INT32_MIN) throw this.errorAt(`range bound ${this.text.slice(this.s(first), this.e(this.i - 1))} is out of the int32 range`, this.s(first), this.e(this.i - 1))
    return v
  }

  // ---- enums ----------------------------------------------------------------------------------

  private parseEnum(parent: MessageDecl | undefined, first: number): EnumDecl {
    this.i++ // enum
    const nameTok = this.expectIdent('an enum name')
    const name = this.tokText(nameTok)
    const open = this.expectSym(CH.lbrace, `after the enum name ${name}`)
    const en = new EnumDecl(this.file, this.s(first), this.e(open), name, this.s(nameTok), this.e(nameTok), parent, this.scopeName(parent, name))
    for (;;) {
      if (this.isSym(CH.rbrace)) break
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the body of enum ${name} is not closed`, open)
      if (this.isSym(CH.semi)) {
        this.i++
        continue
      }
      if (this.isWord('option') && !this.isSym(CH.eq, this.i + 1)) en.options = append(en.options, this.parseOptionStatement())
      else if (this.isWord('reserved') && !this.isSym(CH.eq, this.i + 1)) this.parseReserved(undefined, en)
      else en.values = append(en.values, this.parseEnumValue(en))
    }
    const close = this.i++
    en.values = exact(en.values)
    en.options = exact(en.options)
    en.reservedRanges = exact(en.reservedRanges)
    en.reservedNames = exact(en.reservedNames)
    en.reservedDecls = exact(en.reservedDecls)
    en.spanEnd = this.e(close)
    en.comments = this.comments(first, open)
    return en
  }

  private parseEnumValue(en: EnumDecl): EnumValueDecl {
    const first = this.expectIdent(`an enum value name in enum ${en.name}`)
    const name = this.tokText(first)
    this.expectSym(CH.eq, `after the enum value name ${name}`)
    const numFirst = this.i
    let negative = false
    if (this.isSym(CH.minus)) {
      negative = true
      this.i++
    }
    if (this.kind() !== Tok.Int) throw this.error(`expected the number of enum value ${name}, found ${this.describe()}`)
    const magnitude = intLiteralNumber(this.tokText(this.i++))
    const value = negative ? -magnitude : magnitude
    const numStart = this.s(numFirst)
    const numEnd = this.e(this.i - 1)
    if (value > INT32_MAX || value < INT32_MIN) throw this.errorAt(`enum value ${this.text.slice(numStart, numEnd)} is out of the int32 range`, numStart, numEnd)
    const ev = new EnumValueDecl(en, this.s(first), 0, name, this.s(first), this.e(first), value, numStart, numEnd)
    if (this.isSym(CH.lbrack)) {
      ev.options = this.parseCompactOptions()
      ev.optionsStart = this.listStart
      ev.optionsEnd = this.listEnd
    }
    const last = this.expectSym(CH.semi, `after enum value ${name}`)
    ev.spanEnd = this.e(last)
    ev.comments = this.comments(first, last)
    return ev
  }

  // ---- services -------------------------------------------------------------------------------

  private parseService(): void {
    const first = this.i++
    const nameTok = this.expectIdent('a service name')
    const name = this.tokText(nameTok)
    const open = this.expectSym(CH.lbrace, `after the service name ${name}`)
    const svc = new ServiceDecl(this.file, this.s(first), this.e(open), name, this.s(nameTok), this.e(nameTok), this.pkgPrefix + name)
    for (;;) {
      if (this.isSym(CH.rbrace)) break
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the body of service ${name} is not closed`, open)
      if (this.isSym(CH.semi)) {
        this.i++
        continue
      }
      if (this.isWord('option')) svc.options = append(svc.options, this.parseOptionStatement())
      else if (this.isWord('rpc')) svc.methods = append(svc.methods, this.parseMethod(svc))
      else throw this.error(`unexpected ${this.describe()} in service ${name}: expected 'rpc' or 'option'`)
    }
    const close = this.i++
    svc.methods = exact(svc.methods)
    svc.options = exact(svc.options)
    svc.spanEnd = this.e(close)
    svc.comments = this.comments(first, open)
    this.file.services = append(this.file.services, svc)
  }

  private parseMethod(svc: ServiceDecl): MethodDecl {
    const first = this.i++
    const nameTok = this.expectIdent('a method name')
    const name = this.tokText(nameTok)
    const input = this.parseMethodType(name, 'request')
    if (!this.isWord('returns')) throw this.error(`expected 'returns' after the request type of ${name}, found ${this.describe()}`)
    this.i++
    const output = this.parseMethodType(name, 'response')
    const m = new MethodDecl(svc, this.s(first), 0, name, this.s(nameTok), this.e(nameTok), input.type.name, input.type.start, input.type.end, output.type.name, output.type.start, output.type.end)
    if (input.stream >= 0) {
      m.clientStreaming = true
      m.clientStreamStart = this.s(input.stream)
      m.clientStreamEnd = this.e(input.stream)
    }
    if (output.stream >= 0) {
      m.serverStreaming = true
      m.serverStreamStart = this.s(output.stream)
      m.serverStreamEnd = this.e(output.stream)
    }
    let last: number
    let trailingTok: number
    if (this.isSym(CH.lbrace)) {
      const open = this.i++
      m.hasBody = true
      for (;;) {
        if (this.isSym(CH.rbrace)) break
        if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the body of method ${name} is not closed`, open)
        if (this.isSym(CH.semi)) {
          this.i++
          continue
        }
        if (this.isWord('option')) m.options = append(m.options, this.parseOptionStatement())
        else throw this.error(`unexpected ${this.describe()} in method ${name}: expected 'option'`)
      }
      last = this.i++
      m.options = exact(m.options)
      trailingTok = open
    } else {
      last = this.expectSym(CH.semi, `or '{' after the signature of method ${name}`)
      trailingTok = last
    }
    m.spanEnd = this.e(last)
    m.comments = this.comments(first, trailingTok)
    return m
  }

  /** `( [stream] Type )`; `stream` is the token index of the keyword or -1. */
  private parseMethodType(method: string, which: string): { type: TypeRef; stream: number } {
    this.expectSym(CH.lparen, `before the ${which} type of ${method}`)
    let stream = -1
    if (this.isWord('stream') && (this.kind(this.i + 1) === Tok.Ident || this.isSym(CH.dot, this.i + 1))) stream = this.i++
    const type = this.parseTypeRef(`the ${which} type of ${method}`)
    this.expectSym(CH.rparen, `after the ${which} type of ${method}`)
    return { type, stream }
  }

  // ---- extend ---------------------------------------------------------------------------------

  private parseExtend(parent: MessageDecl | undefined): void {
    const first = this.i++
    const extendee = this.parseTypeRef('the extended message name')
    const open = this.expectSym(CH.lbrace, `after the extended message name ${extendee.name}`)
    const ext = new ExtendDecl(this.lines, this.s(first), this.e(open), extendee.name, extendee.start, extendee.end, parent)
    for (;;) {
      if (this.isSym(CH.rbrace)) break
      if (this.kind() === Tok.EOF) throw this.error(`unmatched '{': the extend block for ${extendee.name} is not closed`, open)
      if (this.isSym(CH.semi)) {
        this.i++
        continue
      }
      this.parseField(parent, ext, undefined)
    }
    const close = this.i++
    ext.fields = exact(ext.fields)
    ext.spanEnd = this.e(close)
    ext.comments = this.comments(first, open)
    const container = parent ?? this.file
    container.extends = append(container.extends, ext)
  }
}

/** Decimal, hex or octal literal text to a number (exact up to 2^53, which covers every valid use). */
function intLiteralNumber(text: string): number {
  if (text.length > 1 && text.charCodeAt(0) === 48) {
    return (text.charCodeAt(1) | 0x20) === 120 ? parseInt(text.slice(2), 16) : parseInt(text.slice(1), 8)
  }
  return Number(text)
}

/** Decimal, hex (0x…) or octal (0…) integer literal text to its value. */
function parseIntLiteral(text: string): bigint {
  if (text.length > 1 && text.charCodeAt(0) === 48) {
    const c1 = text.charCodeAt(1) | 0x20
    if (c1 === 120) return BigInt(text)
    return BigInt('0o' + text.slice(1))
  }
  if (text.length < 16) return BigInt(Number(text))
  return BigInt(text)
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 }

/**
 * The value of the string literal body text[from, to): a string when no escape produced raw
 * bytes, the bytes (as UTF-8) otherwise, or an error.
 */
function decodeStringLiteral(text: string, from: number, to: number): string | number[] | { error: string } {
  let backslash = from
  while (backslash < to && text.charCodeAt(backslash) !== 92) backslash++
  if (backslash === to) return text.slice(from, to)
  const out: string[] = []
  let bytes: number[] | undefined
  const emitString = (s: string) => {
    if (bytes) for (const b of Buffer.from(s, 'utf8')) bytes.push(b)
    else out.push(s)
  }
  const emitByte = (b: number) => {
    bytes ??= [...Buffer.from(out.join(''), 'utf8')]
    bytes.push(b)
  }
  let i = from
  while (i < to) {
    const next = text.indexOf('\\', i)
    if (next < 0 || next >= to) {
      emitString(text.slice(i, to))
      break
    }
    if (next > i) emitString(text.slice(i, next))
    const c = text[next + 1]!
    i = next + 2
    const simple = SIMPLE_ESCAPES[c]
    if (simple !== undefined) {
      emitByte(simple)
      continue
    }
    if (c === 'x' || c === 'X') {
      let v = 0
      let n = 0
      while (n < 2 && i < to && /[0-9a-fA-F]/.test(text[i]!)) {
        v = v * 16 + parseInt(text[i]!, 16)
        i++
        n++
      }
      if (n === 0) return { error: `invalid escape '\\${c}': expected hex digits` }
      emitByte(v)
      continue
    }
    if (c >= '0' && c <= '7') {
      let v = c.charCodeAt(0) - 48
      let n = 1
      while (n < 3 && i < to && text[i]! >= '0' && text[i]! <= '7') {
        v = v * 8 + text.charCodeAt(i) - 48
        i++
        n++
      }
      if (v > 255) return { error: `octal escape '\\${text.slice(next + 1, i)}' is larger than a byte` }
      emitByte(v)
      continue
    }
    if (c === 'u' || c === 'U') {
      const len = c === 'u' ? 4 : 8
      const hex = text.slice(i, i + len)
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex) || i + len > to) return { error: `invalid escape '\\${c}': expected ${len} hex digits` }
      const cp = parseInt(hex, 16)
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { error: `invalid escape '\\${c}${hex}': not a Unicode scalar value` }
      i += len
      emitString(String.fromCodePoint(cp))
      continue
    }
    return { error: `invalid escape sequence '\\${c}' in string literal` }
  }
  if (!bytes) return out.join('')
  const s = utf8OrUndefined(Uint8Array.from(bytes))
  return s !== undefined ? s : bytes
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}
