import { errorAt, type ProtoError } from './errors.js'
import { LineTable } from './span.js'

/** Token kinds. */
export const Tok = { EOF: 0, Ident: 1, Int: 2, Float: 3, String: 4, Symbol: 5 } as const
export type Tok = (typeof Tok)[keyof typeof Tok]

/** The whole token stream of one file in parallel typed arrays (one entry per token, the last one EOF). */
export interface Tokens {
  readonly text: string
  readonly lines: LineTable
  readonly count: number
  readonly kind: Uint8Array
  readonly start: Int32Array
  readonly end: Int32Array
  /**
   * Comment paragraphs given to each token the way buf 1.75 gives them (see attachComments), as
   * [start, end) offsets, -1 when none: the leading and the trailing paragraph.
   */
  readonly leadingStart: Int32Array
  readonly leadingEnd: Int32Array
  readonly trailingStart: Int32Array
  readonly trailingEnd: Int32Array
  /** Start/end pairs of detached paragraphs, for the few tokens that have some. */
  readonly detached: Map<number, number[]>
}

const BLOCK = 1
const LINE = 0

const CH_NL = 10
const CH_SLASH = 47
const CH_STAR = 42

/** Character classes for ASCII: 1 identifier start, 2 digit (identifier part). */
const CHAR_CLASS = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) CHAR_CLASS[c] = 1
  else if (c >= 48 && c <= 57) CHAR_CLASS[c] = 2
}
function isIdentStart(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] === 1
}
function isIdentPart(c: number): boolean {
  return c < 128 && CHAR_CLASS[c]! !== 0
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}

const IS_SYMBOL = new Uint8Array(128)
for (const ch of '{}[]()<>;,.=-+:/') IS_SYMBOL[ch.charCodeAt(0)] = 1

/** Token arrays reused by every tokenize call (parsing is synchronous and keeps no tokens). */
interface TokenArrays {
  kind: Uint8Array
  start: Int32Array
  end: Int32Array
  leadingStart: Int32Array
  leadingEnd: Int32Array
  trailingStart: Int32Array
  trailingEnd: Int32Array
}
let scratch: TokenArrays = allocate(4096)

function allocate(cap: number, from?: TokenArrays): TokenArrays {
  const a: TokenArrays = {
    kind: new Uint8Array(cap),
    start: new Int32Array(cap),
    end: new Int32Array(cap),
    leadingStart: new Int32Array(cap),
    leadingEnd: new Int32Array(cap),
    trailingStart: new Int32Array(cap),
    trailingEnd: new Int32Array(cap)
  }
  if (from) for (const k of Object.keys(a) as (keyof TokenArrays)[]) a[k].set(from[k])
  return a
}

/**
 * Tokenizes `text` in one linear pass, attributing comments as it goes. The returned arrays are
 * shared scratch space: they are valid until the next call.
 */
export function tokenize(file: string, text: string): Tokens {
  return new Lexer(file, text).run()
}

class Lexer {
  private readonly file: string
  private readonly text: string
  private readonly lines: LineTable
  private pos = 0

  private count = 0
  private a: TokenArrays = scratch
  private readonly detached = new Map<number, number[]>()

  // Comment attribution state (see attachComments): comments since the previous token as
  // kind/start/end triples, the paragraph being built, and the closed paragraphs.
  private readonly pending: number[] = []
  private pendingCount = 0
  private prevTokEnd = -1
  private prevTokIndex = -1
  private curStart = -1
  private curEnd = -1
  private curEndsWithNewline = false
  private curPrevEnd = -1
  private readonly tracked: number[] = [] // start, end, prevEnd triples
  private trackedCount = 0

  constructor(file: string, text: string) {
    this.file = file
    this.text = text
    this.lines = new LineTable(text)
  }

  run(): Tokens {
    const text = this.text
    const n = text.length
    if (n > 0 && text.charCodeAt(0) === 0xfeff) this.pos = 1
    for (;;) {
      this.skipSpaceAndComments()
      if (this.pos >= n) break
      const c = text.charCodeAt(this.pos)
      const begin = this.pos
      if (isIdentStart(c)) {
        let p = this.pos + 1
        while (p < n && isIdentPart(text.charCodeAt(p))) p++
        this.pos = p
        this.push(Tok.Ident, begin, p)
      } else if (isDigit(c) || (c === 46 && this.pos + 1 < n && isDigit(text.charCodeAt(this.pos + 1)))) {
        this.push(this.lexNumber(), begin, this.pos)
      } else if (c === 34 || c === 39) {
        this.lexString(c)
        this.push(Tok.String, begin, this.pos)
      } else if (c < 128 && IS_SYMBOL[c] === 1) {
        this.pos++
        this.push(Tok.Symbol, begin, this.pos)
      } else {
        const cp = text.codePointAt(this.pos)!
        const shown = cp >= 32 && cp < 127 ? `'${String.fromCodePoint(cp)}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
        // Like buf, point at the whole run of characters that cannot start a token.
        let end = begin + (cp > 0xffff ? 2 : 1)
        while (end < n && !this.canStartToken(text.charCodeAt(end))) end++
        throw this.errorAt(begin, end, `unrecognized character ${shown}`)
      }
    }
    this.push(Tok.EOF, n, n)
    const a = this.a
    return {
      text, lines: this.lines, count: this.count, kind: a.kind, start: a.start, end: a.end,
      leadingStart: a.leadingStart, leadingEnd: a.leadingEnd, trailingStart: a.trailingStart, trailingEnd: a.trailingEnd, detached: this.detached
    }
  }

  private canStartToken(c: number): boolean {
    return (c < 128 && (CHAR_CLASS[c] !== 0 || IS_SYMBOL[c] === 1)) || c === 32 || c === CH_NL || c === 9 || c === 13 || c === 11 || c === 12 || c === 34 || c === 39
  }

  private push(kind: Tok, start: number, end: number): void {
    if (this.count === this.a.kind.length) this.a = scratch = allocate(this.a.kind.length * 2, this.a)
    const a = this.a
    const i = this.count++
    a.kind[i] = kind
    a.start[i] = start
    a.end[i] = end
    a.leadingStart[i] = -1
    a.trailingStart[i] = -1
    if (this.pendingCount > 0) this.attachComments(i, start, kind === Tok.Symbol ? this.text.charCodeAt(start) : 0)
    this.prevTokEnd = end
    this.prevTokIndex = i
  }

  private skipSpaceAndComments(): void {
    const text = this.text
    const n = text.length
    let p = this.pos
    while (p < n) {
      const c = text.charCodeAt(p)
      if (c === 32 || c === CH_NL || c === 9 || c === 13 || c === 11 || c === 12) {
        p++
      } else if (c === CH_SLASH && p + 1 < n && text.charCodeAt(p + 1) === CH_SLASH) {
        const begin = p
        const nl = text.indexOf('\n', p + 2)
        p = nl < 0 ? n : nl
        this.addPending(LINE, begin, p)
      } else if (c === CH_SLASH && p + 1 < n && text.charCodeAt(p + 1) === CH_STAR) {
        const begin = p
        const close = text.indexOf('*/', p + 2)
        if (close < 0) throw this.errorAt(begin, begin + 2, 'unterminated block comment')
        p = close + 2
        this.addPending(BLOCK, begin, p)
      } else {
        break
      }
    }
    this.pos = p
  }

  private lexNumber(): Tok {
    const text = this.text
    const n = text.length
    const begin = this.pos
    let p = this.pos
    let kind: Tok = Tok.Int
    const c0 = text.charCodeAt(p)
    if (c0 === 48 && p + 1 < n && (text.charCodeAt(p + 1) | 0x20) === 120) {
      p += 2
      const digits = p
      while (p < n && isHexDigit(text.charCodeAt(p))) p++
      if (p === digits) throw this.errorAt(begin, p, '"0x" must be followed by hex digits')
    } else {
      while (p < n && isDigit(text.charCodeAt(p))) p++
      if (p < n && text.charCodeAt(p) === 46) {
        kind = Tok.Float
        p++
        while (p < n && isDigit(text.charCodeAt(p))) p++
      }
      if (p < n && (text.charCodeAt(p) | 0x20) === 101) {
        p++
        if (p < n && (text.charCodeAt(p) === 43 || text.charCodeAt(p) === 45)) p++
        const digits = p
        while (p < n && isDigit(text.charCodeAt(p))) p++
        if (p === digits) throw this.errorAt(begin, p, `invalid exponent in number literal ${JSON.stringify(text.slice(begin, p))}`)
        kind = Tok.Float
      }
      if (kind === Tok.Int && c0 === 48) {
        for (let q = begin + 1; q < p; q++) {
          if (text.charCodeAt(q) > 55) throw this.errorAt(begin, p, 'numbers starting with a leading zero must be in octal')
        }
      }
    }
    if (p < n && (isIdentPart(text.charCodeAt(p)) || text.charCodeAt(p) === 46)) {
      let q = p
      while (q < n && (isIdentPart(text.charCodeAt(q)) || text.charCodeAt(q) === 46)) q++
      throw this.errorAt(begin, q, `invalid number literal ${JSON.stringify(text.slice(begin, q))}: a number must be followed by a space or symbol`)
    }
    this.pos = p
    return kind
  }

  private lexString(quote: number): void {
    const text = this.text
    const n = text.length
    const begin = this.pos
    let p = this.pos + 1
    for (;;) {
      if (p >= n) throw this.errorAt(begin, p, 'unterminated string literal')
      const c = text.charCodeAt(p)
      if (c === quote) {
        p++
        break
      }
      if (c === CH_NL) throw this.errorAt(begin, p + 1, 'unterminated string literal: strings cannot span lines')
      if (c === 92) {
        if (p + 1 >= n || text.charCodeAt(p + 1) === CH_NL) throw this.errorAt(begin, p + 1, 'unterminated string literal: strings cannot span lines')
        p += 2
        continue
      }
      p++
    }
    this.pos = p
  }

  private errorAt(start: number, end: number, message: string): ProtoError {
    return errorAt(this.file, this.lines, start, Math.max(start, Math.min(end, this.text.length)), message)
  }

  // ---- comment attribution -------------------------------------------------------------
  //
  // buf groups comments into paragraphs and gives each paragraph to a token: a trailing
  // comment of the token before, a leading comment of the token after, or a detached comment
  // of the token after. Declarations read the leading/detached comments of their first token
  // and the trailing comment of their last token ('{' for those ending in '}').

  private newlines(from: number, to: number, limit: number): number {
    const text = this.text
    let count = 0
    for (let i = from > 0 ? from - 1 : 0; i < to && count < limit; i++) if (text.charCodeAt(i) === CH_NL) count++
    return count
  }

  // The pending/tracked arrays are reused with counters: resetting an array's length would
  // free its storage and make every declaration allocate it again.
  private addPending(kind: number, start: number, end: number): void {
    const n = this.pendingCount
    this.pending[n] = kind
    this.pending[n + 1] = start
    this.pending[n + 2] = end
    this.pendingCount = n + 3
  }

  private closeParagraph(): void {
    if (this.curStart < 0) return
    const n = this.trackedCount
    this.tracked[n] = this.curStart
    this.tracked[n + 1] = this.curEnd
    this.tracked[n + 2] = this.curPrevEnd
    this.trackedCount = n + 3
    this.curStart = -1
  }

  /** Newlines between comments extend the paragraph being built, or end it at a blank line. */
  private spaceUntil(from: number, to: number): void {
    const text = this.text
    for (let i = from; i < to && this.curStart >= 0; i++) {
      if (text.charCodeAt(i) !== CH_NL) continue
      if (this.curEndsWithNewline) this.closeParagraph()
      else {
        this.curEnd = i + 1
        this.curEndsWithNewline = true
      }
    }
  }

  /** Runs buf's attribution for the comments between the previous token and token `tokIndex`. */
  private attachComments(tokIndex: number, tokStart: number, symbol: number): void {
    const pending = this.pending
    const prevTokEnd = this.prevTokEnd
    const prevTokIndex = this.prevTokIndex
    const tracked = this.tracked
    this.trackedCount = 0
    this.curStart = -1
    let firstOnSameLine = false
    let cursor = prevTokEnd < 0 ? 0 : prevTokEnd
    let prevItemEnd = prevTokEnd
    const pendingCount = this.pendingCount
    for (let k = 0; k < pendingCount; k += 3) {
      const kind = pending[k]!
      const start = pending[k + 1]!
      const end = pending[k + 2]!
      this.spaceUntil(cursor, start)
      if (kind === BLOCK) {
        // A block comment is a paragraph of its own.
        this.closeParagraph()
        this.curStart = start
        this.curEnd = end
        this.curPrevEnd = prevItemEnd
        this.closeParagraph()
      } else {
        const first = this.curStart < 0
        if (first) {
          this.curStart = start
          this.curPrevEnd = prevItemEnd
        }
        this.curEnd = end
        this.curEndsWithNewline = false
        // A line comment on the line of the previous token stands alone (it will trail it).
        if (first && prevTokIndex >= 0 && this.newlines(prevTokEnd, start, 1) === 0) {
          this.closeParagraph()
          firstOnSameLine = true
        }
      }
      cursor = end
      prevItemEnd = end
    }
    this.pendingCount = 0
    this.spaceUntil(cursor, tokStart)
    this.closeParagraph()
    if (this.trackedCount === 0) return

    const a = this.a
    let head = 0
    let tail = this.trackedCount
    let donate = false
    if (prevTokIndex < 0) donate = false
    else if (firstOnSameLine) donate = true
    else if (this.newlines(prevTokEnd, tracked[0]!, 2) < 2) {
      if (tail > 3) donate = true
      else if (symbol === 41 || symbol === 93 || symbol === 125) donate = true
      else if (this.newlines(tracked[1]!, tokStart, 2) > 1) donate = true
    }
    if (donate) {
      a.trailingStart[prevTokIndex] = tracked[0]!
      a.trailingEnd[prevTokIndex] = tracked[1]!
      head = 3
    }
    if (head < tail && this.newlines(tracked[tail - 2]!, tokStart, 2) === 1) {
      a.leadingStart[tokIndex] = tracked[tail - 3]!
      a.leadingEnd[tokIndex] = tracked[tail - 2]!
      tail -= 3
    }
    // A paragraph starts the detached ones if a blank line separates it from what precedes it
    // and from the token (buf's rule); every paragraph after it is detached too.
    for (let i = head; i < tail; i += 3) {
      const prevEnd = tracked[i + 2]!
      if (prevEnd >= 0 && this.newlines(prevEnd, tracked[i]!, 2) < 2) continue
      if (this.newlines(tracked[i + 1]!, tokStart, 2) === 2) {
        const ranges: number[] = []
        for (let k = i; k < tail; k += 3) ranges.push(tracked[k]!, tracked[k + 1]!)
        this.detached.set(tokIndex, ranges)
        break
      }
    }
  }
}
