/** Where a value came from in a config file; 1-based like every position in release-gate. */
export interface ConfigPosition {
  file: string
  line: number
  column: number
}

/**
 * A buf.yaml / buf.work.yaml that cannot be used. The message names `file:line:col` and what was
 * expected, so the CLI can print it as is and the action can annotate the line.
 */
export class BufConfigError extends Error {
  override readonly name = 'BufConfigError'
  readonly file: string
  readonly line: number
  readonly column: number
  /** The message without the `file:line:col: ` prefix. */
  readonly detail: string

  constructor(at: ConfigPosition, detail: string) {
    super(`${at.file}:${at.line}:${at.column}: ${detail}`)
    this.file = at.file
    this.line = at.line
    this.column = at.column
    this.detail = detail
  }
}
