/**
 * Which files a scoped (pull request) compare must look at so its findings equal a full
 * compare's: the changed files, the files whose fields can see their types (direct importers,
 * also through `import public` chains), with PACKAGE rules every file of the packages involved,
 * and the non-module files the whole module imports (buf's image holds them, so their
 * presence is compared too). Everything else is identical on both sides and cannot produce a
 * finding.
 */

import type { FileHeader } from './scan.js'

export interface ScopeInput {
  /** Module-relative paths that differ (added, deleted or modified). */
  changed: readonly string[]
  head: ReadonlyMap<string, FileHeader>
  base: ReadonlyMap<string, FileHeader>
  /** Include whole packages (needed by the PACKAGE_* rules). */
  packages: boolean
  /** Headers of files outside the module (well-known types), to follow their own imports. */
  externalHeader(path: string): FileHeader | undefined
}

export interface Scope {
  /** Module files to compare, per side. */
  head: Set<string>
  base: Set<string>
  /** Non-module paths imported (transitively) by the module, per side. */
  headImports: Set<string>
  baseImports: Set<string>
}

export function computeScope(input: ScopeInput): Scope {
  const affected = new Set(input.changed)
  for (const side of [input.head, input.base]) {
    for (const path of importersOf(input.changed, side)) affected.add(path)
  }
  if (input.packages) {
    const packages = new Set<string>()
    for (const path of affected) {
      for (const side of [input.head, input.base]) {
        const header = side.get(path)
        if (header) packages.add(header.package)
      }
    }
    for (const side of [input.head, input.base]) {
      for (const [path, header] of side) if (packages.has(header.package)) affected.add(path)
    }
  }
  return {
    head: new Set([...affected].filter((path) => input.head.has(path))),
    base: new Set([...affected].filter((path) => input.base.has(path))),
    headImports: externalImports(input.head, input.externalHeader),
    baseImports: externalImports(input.base, input.externalHeader)
  }
}

/** Files that can refer to types of `targets`: importers of a target or of a file re-exporting one. */
function importersOf(targets: readonly string[], side: ReadonlyMap<string, FileHeader>): Set<string> {
  const exposing = new Set(targets)
  // Files that publicly import an exposing file expose its types too.
  let grew = true
  while (grew) {
    grew = false
    for (const [path, header] of side) {
      if (exposing.has(path)) continue
      if (header.imports.some((imp) => imp.public && exposing.has(imp.path))) {
        exposing.add(path)
        grew = true
      }
    }
  }
  const importers = new Set<string>(exposing)
  for (const [path, header] of side) {
    if (header.imports.some((imp) => exposing.has(imp.path))) importers.add(path)
  }
  return importers
}

/** Paths outside the module that the module imports, directly or through other such files. */
function externalImports(side: ReadonlyMap<string, FileHeader>, externalHeader: (path: string) => FileHeader | undefined): Set<string> {
  const external = new Set<string>()
  const queue: string[] = []
  for (const header of side.values()) {
    for (const imp of header.imports) {
      if (!side.has(imp.path) && !external.has(imp.path)) {
        external.add(imp.path)
        queue.push(imp.path)
      }
    }
  }
  while (queue.length > 0) {
    for (const imp of externalHeader(queue.pop()!)?.imports ?? []) {
      if (!side.has(imp.path) && !external.has(imp.path)) {
        external.add(imp.path)
        queue.push(imp.path)
      }
    }
  }
  return external
}
