/**
 * What a breaking rule receives: both file sets, shared pairings, and the ignore decision. buf
 * attaches each finding to a head location and (for ignores only) to the base element it came
 * from; `emit` keeps that pairing so ignore paths and ignore_unstable_packages apply to either
 * side exactly as buf applies them.
 */

import type { Report, RuleSpec, Span } from '../types.js'
import type { Loc, ProtoFile } from './model.js'
import type { Pairs } from './pairing.js'

export interface BreakingContext {
  readonly ruleId: string
  /** Files compared on the head side (module files and the imports they pull in). */
  readonly head: readonly ProtoFile[]
  readonly base: readonly ProtoFile[]
  readonly pairs: Pairs
  /** False when the configured ignores drop a finding tied to these files. */
  keep(headFile: ProtoFile | undefined, baseFile: ProtoFile | undefined): boolean
}

export interface Where {
  /** The head file the finding is printed in; none for findings about the whole input. */
  file?: ProtoFile
  /** Position in `file`; without it buf prints 1:1. */
  loc?: Loc
  /** The base file of the changed element, consulted for ignores. */
  against?: ProtoFile
}

const FILE_START: Loc = { line: 1, column: 1, endLine: 1, endColumn: 1 }

export function emit(context: BreakingContext, report: Report, where: Where, message: string): void {
  if (!context.keep(where.file, where.against)) return
  let span: Span | undefined
  if (where.file !== undefined) {
    const loc = where.loc ?? FILE_START
    span = { path: where.file.path, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn }
  }
  report(span, message)
}

/** The first location that exists (buf's withBackupLocation). */
export function firstLoc(...locs: (Loc | undefined)[]): Loc | undefined {
  for (const loc of locs) if (loc !== undefined) return loc
  return undefined
}

export type BreakingRule = RuleSpec<'breaking', BreakingContext>
