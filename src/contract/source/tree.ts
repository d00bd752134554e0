/**
 * Where the .proto files of one side of a compare come from. A tree lists module-relative
 * `.proto` paths and reads their text; a directory tree reads the file system, a git tree
 * reads objects of a commit (see git.ts).
 */

import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'

export interface SourceTree {
  /** Module-relative `.proto` paths with forward slashes, sorted. */
  list(): Promise<string[]>
  /** The file's text, or undefined when the tree has no such file. */
  read(modulePath: string): Promise<string | undefined>
  /** For messages: `directory proto` or `git origin/main:proto`. */
  readonly description: string
  /** Releases processes or handles the tree holds. */
  close(): Promise<void>
}

export interface DirectoryTreeOptions {
  /** Module-relative files or directories to leave out (buf.yaml `excludes`). */
  exclude?: readonly string[]
}

/** The .proto files under `root` (the module root). */
export function directoryTree(root: string, options: DirectoryTreeOptions = {}): SourceTree {
  const exclude = (options.exclude ?? []).map((entry) => entry.replace(/^\.\/+|\/+$/g, ''))
  let listing: Promise<string[]> | undefined
  const excluded = (relative: string): boolean => exclude.some((entry) => relative === entry || relative.startsWith(entry + '/'))
  return {
    description: `directory ${root}`,
    list() {
      listing ??= walk(root, '', excluded).then((paths) => paths.sort(compareBytes))
      return listing
    },
    async read(modulePath) {
      try {
        // Synchronous on purpose: thousands of small files read faster in a loop than as thousands of
        // concurrent promises (measured: about 6x less CPU on the googleapis corpus).
        return readFileSync(path.join(root, ...modulePath.split('/')), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async close() {}
  }
}

async function walk(root: string, relative: string, excluded: (relative: string) => boolean): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true })
  const found: string[] = []
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name
    if (excluded(child)) continue
    if (entry.isDirectory()) {
      // VCS metadata never holds module files.
      if (entry.name === '.git') continue
      found.push(...(await walk(root, child, excluded)))
    } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.proto')) {
      found.push(child)
    }
  }
  return found
}

/** Order by UTF-8 bytes (= code points), as buf and git sort paths. */
export function compareBytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))
}

export interface TreeRoot {
  tree: SourceTree
  /** What findings print before the root-relative path, e.g. `proto/` (workspace-relative module or root directory). */
  prefix: string
}

export interface CombinedTree extends SourceTree {
  /** The path a finding prints for a root-relative path (buf's external path). */
  displayPath(path: string): string
}

/**
 * Several roots seen as one import namespace, the way buf builds one image from a workspace's
 * modules or a v1beta1 module's `build.roots`: paths are root-relative, and a path listed by
 * two roots resolves to the first.
 */
export function combinedTree(roots: readonly TreeRoot[]): CombinedTree {
  let owners: Promise<Map<string, TreeRoot>> | undefined
  const owner = () => {
    owners ??= Promise.all(roots.map((root) => root.tree.list())).then((lists) => {
      const map = new Map<string, TreeRoot>()
      lists.forEach((list, i) => {
        for (const path of list) if (!map.has(path)) map.set(path, roots[i]!)
      })
      return map
    })
    return owners
  }
  let prefixes: Map<string, string> | undefined
  return {
    description: roots.map((root) => root.tree.description).join(' + '),
    async list() {
      const map = await owner()
      prefixes = new Map([...map].map(([path, root]) => [path, root.prefix]))
      return [...map.keys()].sort(compareBytes)
    },
    async read(path) {
      return (await owner()).get(path)?.tree.read(path)
    },
    displayPath(path) {
      return (prefixes?.get(path) ?? '') + path
    },
    async close() {
      await Promise.all(roots.map((root) => root.tree.close()))
    }
  }
}
