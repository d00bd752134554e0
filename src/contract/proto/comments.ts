/**
 * Comments attached to declarations. The lexer records where each comment paragraph lies; the
 * text is rendered only when asked for (most comments are never read, and a corpus holds
 * tens of megabytes of them).
 */
import type { Comments } from './ast.js'
import type { LineTable } from './span.js'

/**
 * buf's text of the comment paragraph at text[start, end): `//` removed from line comments,
 * `/*` and `*\/` from block comments, and on each block comment line after the first the
 * indentation and one leading `*`; the newlines that end line comments inside the paragraph
 * are kept.
 */
function renderParagraph(text: string, start: number, end: number): string {
  const parts: string[] = []
  let i = start
  while (i < end) {
    const c = text.charCodeAt(i)
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      let nl = text.indexOf('\n', i + 2)
      if (nl < 0 || nl > end) nl = end
      parts.push(text.slice(i + 2, nl))
      i = nl
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2)
      const lines = text.slice(i + 2, close).split('\n')
      for (let k = 0; k < lines.length; k++) {
        let l = lines[k]!
        if (k > 0) {
          l = l.replace(/^[^\S\n]+/, '')
          if (l.startsWith('*')) l = l.slice(1)
        }
        parts.push(k < lines.length - 1 ? l + '\n' : l)
      }
      i = close + 2
    } else {
      if (c === 10) parts.push('\n')
      i++
    }
  }
  return parts.join('')
}

/** Offsets of the paragraphs given to one declaration; -1 when absent. */
export class DeclComments implements Comments {
  private readonly lines: LineTable
  private readonly leadingStart: number
  private readonly leadingEnd: number
  private readonly trailingStart: number
  private readonly trailingEnd: number
  /** start, end pairs */
  private readonly detached: readonly number[] | undefined

  constructor(lines: LineTable, leadingStart: number, leadingEnd: number, trailingStart: number, trailingEnd: number, detached: readonly number[] | undefined) {
    this.lines = lines
    this.leadingStart = leadingStart
    this.leadingEnd = leadingEnd
    this.trailingStart = trailingStart
    this.trailingEnd = trailingEnd
    this.detached = detached
  }

  get leading(): string | undefined {
    return this.leadingStart < 0 ? undefined : renderParagraph(this.lines.text, this.leadingStart, this.leadingEnd)
  }

  get trailing(): string | undefined {
    return this.trailingStart < 0 ? undefined : renderParagraph(this.lines.text, this.trailingStart, this.trailingEnd)
  }

  get leadingDetached(): readonly string[] {
    const d = this.detached
    if (!d) return []
    const out: string[] = []
    for (let i = 0; i < d.length; i += 2) out.push(renderParagraph(this.lines.text, d[i]!, d[i + 1]!))
    return out
  }
}
