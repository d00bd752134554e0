/** Where compile() reads files from: directories of import roots, or anything else (git objects). */
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** Returns the text of the file at an import path (`google/type/money.proto`), or undefined. */
export interface Loader {
  read(path: string): string | undefined
}

/** Reads import paths from the first root directory that has them. */
export function directoryLoader(roots: readonly string[]): Loader {
  return {
    read(path: string): string | undefined {
      for (const root of roots) {
        try {
          return readFileSync(join(root, path), 'utf8')
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e
        }
      }
      return undefined
    }
  }
}

export function mapLoader(files: ReadonlyMap<string, string>): Loader {
  return { read: (path) => files.get(path) }
}

/** Every .proto file under `root`, as import paths relative to it, sorted. */
export function listProtoFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && e.name.endsWith('.proto')) out.push(relative(root, p).split(sep).join('/'))
    }
  }
  walk(root)
  return out.sort()
}
