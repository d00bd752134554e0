import type { LineTable, Span } from './span.js'

/**
 * The only error the proto front end throws or reports. Positions are 1-based like buf's
 * (`start_line`/`start_column`/`end_line`/`end_column`, end exclusive) and, like buf's compile
 * errors, count columns in UTF-8 bytes. A later stage turns it into a `COMPILE` finding.
 */
export class ProtoError extends Error {
  override readonly name = 'ProtoError'
  readonly file: string
  readonly line: number
  readonly column: number
  readonly endLine: number | undefined
  readonly endColumn: number | undefined
  /** The message without the `file:line:col: ` prefix. */
  readonly detail: string

  constructor(file: string, span: Pick<Span, 'line' | 'column'> & Partial<Pick<Span, 'endLine' | 'endColumn'>> | undefined, detail: string) {
    const line = span?.line ?? 1
    const column = span?.column ?? 1
    super(`${file}:${line}:${column}: ${detail}`)
    this.file = file
    this.line = line
    this.column = column
    this.endLine = span?.endLine
    this.endColumn = span?.endColumn
    this.detail = detail
  }
}

/** A ProtoError for text[start, end) of a file, positioned the way buf positions compile errors. */
export function errorAt(file: string, lines: LineTable, start: number, end: number, detail: string): ProtoError {
  return new ProtoError(file, lines.byteSpan(start, end), detail)
}
