/**
 * Source positions as buf 1.75 reports them: 1-based lines, end exclusive. Locations of
 * declarations (what lint and breaking findings point at) count columns in terminal cells: tab
 * stops every 4 cells, East Asian wide characters and emoji 2, combining marks and control
 * characters 0. Compile errors count columns in UTF-8 bytes (tab = 1) — buf does both.
 * `start`/`end` are offsets into the JavaScript string (UTF-16 code units) so callers can slice
 * the source text.
 */
export interface Span {
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  readonly start: number
  readonly end: number
}

const TAB_STOP = 4

/**
 * The text of one file and its line starts, computed on first use. The syntax tree stores
 * offsets only and builds Span objects through this table when asked (a file's tree holds
 * millions of positions, few of which are ever read).
 */
export class LineTable {
  readonly text: string
  private starts: Int32Array | undefined

  constructor(text: string) {
    this.text = text
  }

  private lineStarts(): Int32Array {
    if (this.starts) return this.starts
    const text = this.text
    let count = 1
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++
    const starts = new Int32Array(count)
    let n = 1
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1
    this.starts = starts
    return starts
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts()
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }

  /** 1-based column of `offset`, which lies on `line`. */
  columnOf(line: number, offset: number): number {
    return advanceColumn(this.text, this.lineStarts()[line - 1]!, offset, 0) + 1
  }

  span(start: number, end: number): Span {
    const line = this.lineOf(start)
    const endLine = end === start ? line : this.lineOf(end)
    return { line, column: this.columnOf(line, start), endLine, endColumn: this.columnOf(endLine, end), start, end }
  }

  /** 1-based column of `offset` on `line` counted in UTF-8 bytes (tab = 1), the unit of buf's compile errors. */
  byteColumnOf(line: number, offset: number): number {
    const text = this.text
    let col = 1
    for (let i = this.lineStarts()[line - 1]!; i < offset; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80) col += 1
      else if (c < 0x800) col += 2
      else if (c >= 0xd800 && c <= 0xdbff) {
        col += 4
        i++
      } else col += 3
    }
    return col
  }

  /** Like span(), with byte columns: where buf reports compile errors. */
  byteSpan(start: number, end: number): Span {
    const line = this.lineOf(start)
    const endLine = end === start ? line : this.lineOf(end)
    return { line, column: this.byteColumnOf(line, start), endLine, endColumn: this.byteColumnOf(endLine, end), start, end }
  }
}

/** Wide (2-cell) code point ranges of East_Asian_Width W/F outside the emoji blocks. */
const WIDE_RANGES: readonly number[] = [
  0x1100, 0x115f, 0x2329, 0x232a, 0x2e80, 0x2e99, 0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x2fff,
  0x3000, 0x303e, 0x3041, 0x3096, 0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e5,
  0x31ef, 0x321e, 0x3220, 0x3247, 0x3250, 0xa48c, 0xa490, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3,
  0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b, 0xff01, 0xff60,
  0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x187f7, 0x18800, 0x18cd5,
  0x18d00, 0x18d08, 0x1aff0, 0x1affe, 0x1b000, 0x1b122, 0x1b132, 0x1b132, 0x1b150, 0x1b152,
  0x1b155, 0x1b155, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1f200, 0x1f202, 0x1f210, 0x1f23b,
  0x1f240, 0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265, 0x20000, 0x2fffd, 0x30000, 0x3fffd
]

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false
  let lo = 0
  let hi = WIDE_RANGES.length / 2 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (cp < WIDE_RANGES[mid * 2]!) hi = mid - 1
    else if (cp > WIDE_RANGES[mid * 2 + 1]!) lo = mid + 1
    else return true
  }
  return false
}

const ZERO_WIDTH = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Grapheme_Extend}]$/u
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u
const REGIONAL_INDICATOR = /^\p{Regional_Indicator}$/u

function codePointWidth(ch: string, cp: number): number {
  if (cp === 0x2e3a) return 3
  if (cp === 0x2e3b) return 4
  if (ZERO_WIDTH.test(ch)) return 0
  if (REGIONAL_INDICATOR.test(ch)) return 2
  if (PICTOGRAPHIC.test(ch)) return EMOJI_PRESENTATION.test(ch) ? 2 : 1
  return isWide(cp) ? 2 : 1
}

/** Width of one grapheme cluster, following the rules of the uniseg library buf uses. */
function clusterWidth(cluster: string): number {
  const first = cluster.codePointAt(0)!
  const firstChar = String.fromCodePoint(first)
  let width = codePointWidth(firstChar, first)
  const pictographic = PICTOGRAPHIC.test(firstChar)
  // The rest of a cluster adds its widths, except after emoji, flags and Hangul leading jamo.
  const sumsRest = !pictographic && !REGIONAL_INDICATOR.test(firstChar) && !(first >= 0x1100 && first <= 0x115f) && !(first >= 0xa960 && first <= 0xa97c)
  for (let i = firstChar.length; i < cluster.length; ) {
    const cp = cluster.codePointAt(i)!
    const ch = String.fromCodePoint(cp)
    i += ch.length
    if (pictographic) {
      if (cp === 0xfe0e) width = 1
      else if (cp === 0xfe0f) width = 2
    } else if (sumsRest) {
      width += codePointWidth(ch, cp)
    }
  }
  return width
}

let segmenter: Intl.Segmenter | undefined

/**
 * Cells from `column0` (0-based) after rendering `text[from, to)`; `text` has no newline in
 * that range. Tabs advance to the next multiple of TAB_STOP.
 */
function advanceColumn(text: string, from: number, to: number, column0: number): number {
  let col = column0
  let i = from
  while (i < to) {
    const c = text.charCodeAt(i)
    if (c === 9) {
      col += TAB_STOP - (col % TAB_STOP)
      i++
    } else if (c < 0x80) {
      col += c >= 0x20 && c !== 0x7f ? 1 : 0
      i++
    } else {
      // A run of non-ASCII text: measure it by grapheme clusters.
      let j = i + 1
      while (j < to && text.charCodeAt(j) >= 0x80) j++
      segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
      for (const { segment } of segmenter.segment(text.slice(i, j))) col += clusterWidth(segment)
      i = j
    }
  }
  return col
}
