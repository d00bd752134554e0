/**
 * The symbol table of a compilation and protoc's name lookup, restricted (like buf) to symbols
 * the referencing file can see: its own, its imports', and what those re-export with
 * `import public`.
 */
import type { EnumDecl, EnumValueDecl, FieldDecl, ImportDecl, MessageDecl, ProtoFile, ServiceDecl } from './ast.js'

/**
 * What the global table holds: everything a name lookup can return (packages, types, services,
 * extensions) plus package-level enum values, which share their package's namespace. Fields,
 * oneofs, methods and nested enum values are checked for clashes per scope instead.
 */
export type Symbol =
  | { kind: 'package'; name: string; files: ProtoFile[] }
  | { kind: 'message'; decl: MessageDecl; file: ProtoFile }
  | { kind: 'enum'; decl: EnumDecl; file: ProtoFile }
  | { kind: 'enumValue'; decl: EnumValueDecl; file: ProtoFile }
  | { kind: 'extension'; decl: FieldDecl; file: ProtoFile }
  | { kind: 'service'; decl: ServiceDecl; file: ProtoFile }

/** Symbols that can hold further names (protoc's "aggregate"). */
function isAggregate(s: Symbol): boolean {
  return s.kind === 'package' || s.kind === 'message' || s.kind === 'enum' || s.kind === 'service'
}

export function isType(s: Symbol): s is Extract<Symbol, { kind: 'message' | 'enum' }> {
  return s.kind === 'message' || s.kind === 'enum'
}

/** What a file can see and which of its imports brings each visible file in. */
export class FileScope {
  readonly file: ProtoFile
  /** Visible file → the direct import it comes through (undefined for the file itself). */
  readonly causes = new Map<ProtoFile, ImportDecl | undefined>()
  /** Packages (and their prefixes) declared by visible files. */
  readonly packages = new Set<string>()

  constructor(file: ProtoFile) {
    this.file = file
    this.addFile(file, undefined)
    for (const imp of file.imports) {
      if (!imp.file) continue
      // Direct imports win over files that are also reachable through another import's public re-export.
      this.addFile(imp.file, imp)
    }
    for (const imp of file.imports) if (imp.file) this.addPublic(imp.file, imp, new Set())
  }

  private addFile(f: ProtoFile, cause: ImportDecl | undefined): void {
    if (this.causes.has(f)) return
    this.causes.set(f, cause)
    let pkg = f.package
    while (pkg !== '' && !this.packages.has(pkg)) {
      this.packages.add(pkg)
      const dot = pkg.lastIndexOf('.')
      pkg = dot < 0 ? '' : pkg.slice(0, dot)
    }
  }

  /** Files `f` re-exports through chains of public imports (iteratively: chains can be long). */
  private addPublic(f: ProtoFile, cause: ImportDecl, seen: Set<ProtoFile>): void {
    const todo = [f]
    while (todo.length > 0) {
      const next = todo.pop()!
      if (seen.has(next)) continue
      seen.add(next)
      for (const imp of next.imports) {
        if (imp.modifier !== 'public' || !imp.file) continue
        this.addFile(imp.file, cause)
        todo.push(imp.file)
      }
    }
  }

  sees(s: Symbol): boolean {
    return s.kind === 'package' ? this.packages.has(s.name) : this.causes.has(s.file)
  }

  /** Records that a symbol of `f` was referenced (for unused-import detection). */
  use(f: ProtoFile): void {
    const cause = this.causes.get(f)
    if (cause) cause.used = true
  }
}

export class SymbolTable {
  readonly byName = new Map<string, Symbol>()
  /** Simple names that some symbol below the root has; other first components can only match at the root. */
  private readonly nestedNames = new Set<string>()

  get(name: string): Symbol | undefined {
    return this.byName.get(name)
  }

  /** Adds a symbol; returns the one already there under that name, if any. */
  define(fullName: string, sym: Symbol): Symbol | undefined {
    const existing = this.byName.get(fullName)
    if (existing) return existing
    this.byName.set(fullName, sym)
    const dot = fullName.lastIndexOf('.')
    if (dot >= 0) this.nestedNames.add(fullName.slice(dot + 1))
    return undefined
  }

  /**
   * protoc's lookup of `name` written inside `scope` (a fully qualified name, '' for the root):
   * a leading dot means fully qualified; otherwise the first component is searched from the
   * innermost scope outwards, and once it matches an aggregate the rest must be found inside
   * it. Symbols the file cannot see are skipped, as buf does.
   *
   * In `type` mode a complete match that is not a message or enum is passed over (protoc's
   * LOOKUP_TYPES). In `any` mode (option and extension names) the innermost match of any kind
   * wins, including message members (fields, oneofs, enum values) reported by `memberAt`; the
   * caller then rejects what is not an extension.
   */
  lookup(name: string, scope: string, from: FileScope, mode: 'type' | 'any', memberAt?: (scope: string, name: string) => string | undefined): Symbol | { kind: 'member'; what: string; scope: string } | undefined {
    if (name.charCodeAt(0) === 46) {
      const s = this.byName.get(name.slice(1))
      return s && from.sees(s) ? s : undefined
    }
    const dot = name.indexOf('.')
    const first = dot < 0 ? name : name.slice(0, dot)
    // Members are not in nestedNames, so a single name in `any` mode must walk every scope.
    let scopeToTry = this.nestedNames.has(first) || (mode === 'any' && dot < 0) ? scope : ''
    for (;;) {
      if (dot < 0 && memberAt && scopeToTry !== '') {
        const what = memberAt(scopeToTry, first)
        if (what) return { kind: 'member', what, scope: scopeToTry }
      }
      const candidate = scopeToTry === '' ? first : scopeToTry + '.' + first
      const s = this.byName.get(candidate)
      if (s && from.sees(s)) {
        if (dot < 0) {
          if (mode === 'any' || isType(s)) return s
        } else if (isAggregate(s)) {
          const full = this.byName.get(scopeToTry === '' ? name : scopeToTry + '.' + name)
          return full && from.sees(full) ? full : undefined
        }
      }
      if (scopeToTry === '') return undefined
      const cut = scopeToTry.lastIndexOf('.')
      scopeToTry = cut < 0 ? '' : scopeToTry.slice(0, cut)
    }
  }
}
