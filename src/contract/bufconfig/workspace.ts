/**
 * A directory as buf sees it: a v2 buf.yaml with its modules, a v1 buf.work.yaml with one module
 * per listed directory (each with its own buf.yaml or buf's defaults), a single v1/v1beta1
 * buf.yaml, or nothing at all (one module with buf's v1 defaults).
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { defaultModuleConfig, parseBufYaml } from './buf-yaml.js'
import { parseBufWorkYaml } from './buf-work-yaml.js'
import { BufConfigError } from './errors.js'
import { anyEqualsOrContains, joinPath } from './paths.js'
import type { BufYamlVersion, ModuleConfig, PluginReference } from './types.js'

export interface BufWorkspace {
  /** Absolute directory the workspace was loaded from; every other path is relative to it. */
  root: string
  /** buf.yaml or buf.work.yaml at the root, when there is one. */
  configFile?: string
  version: BufYamlVersion
  modules: WorkspaceModule[]
  /** BSR dependencies named by the buf.yaml files (release-gate does not download them). */
  deps: string[]
  plugins: PluginReference[]
  policies: PluginReference[]
}

export interface WorkspaceModule extends ModuleConfig {
  /** The buf.yaml this module's config came from (relative to the workspace root), if any. */
  configFile?: string
}

export interface ModuleFile {
  /** The path imports use: relative to the module root (v1beta1: to its build root). */
  path: string
  /** The path relative to the workspace root, which findings print (buf's external path). */
  workspacePath: string
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

export interface LoadOptions {
  /** buf.yaml text used instead of the files in the directory, like `buf lint --config`. */
  configOverride?: string
}

export async function loadBufWorkspace(root: string, options: LoadOptions = {}): Promise<BufWorkspace> {
  const absRoot = path.resolve(root)
  const workText = options.configOverride === undefined ? await readIfExists(path.join(absRoot, 'buf.work.yaml')) : undefined
  const bufText = options.configOverride ?? (await readIfExists(path.join(absRoot, 'buf.yaml')))
  if (workText !== undefined) {
    const work = parseBufWorkYaml(workText, 'buf.work.yaml')
    if (bufText !== undefined && parseBufYaml(bufText, 'buf.yaml').version === 'v2') {
      throw new BufConfigError({ file: 'buf.yaml', line: 1, column: 1 }, 'a v2 buf.yaml cannot sit next to buf.work.yaml: list the modules in buf.yaml and delete buf.work.yaml')
    }
    const modules: WorkspaceModule[] = []
    const deps: string[] = []
    for (const dir of work.directories) {
      const configFile = joinPath(dir, 'buf.yaml')
      const text = await readIfExists(path.join(absRoot, configFile))
      if (text === undefined) {
        modules.push({ ...defaultModuleConfig(dir, 'buf.work.yaml'), dirPath: dir })
        continue
      }
      const parsed = parseBufYaml(text, configFile)
      if (parsed.version === 'v2') {
        throw new BufConfigError({ file: configFile, line: 1, column: 1 }, 'a v2 buf.yaml cannot be a module of a buf.work.yaml workspace: expected version v1 or v1beta1')
      }
      modules.push({ ...parsed.modules[0]!, dirPath: dir, configFile })
      deps.push(...parsed.deps)
    }
    return { root: absRoot, configFile: 'buf.work.yaml', version: 'v1', modules, deps, plugins: [], policies: [] }
  }
  if (bufText !== undefined) {
    const parsed = parseBufYaml(bufText, 'buf.yaml')
    return {
      root: absRoot,
      configFile: 'buf.yaml',
      version: parsed.version,
      modules: parsed.modules.map((m) => ({ ...m, configFile: 'buf.yaml' })),
      deps: parsed.deps,
      plugins: parsed.plugins,
      policies: parsed.policies
    }
  }
  return { root: absRoot, version: 'v1', modules: [defaultModuleConfig('.', 'buf.yaml')], deps: [], plugins: [], policies: [] }
}

/** The module's .proto files, sorted by import path; excluded directories are not entered. */
export async function listModuleFiles(workspaceRoot: string, module: ModuleConfig): Promise<ModuleFile[]> {
  const files: ModuleFile[] = []
  for (const root of module.roots) {
    const rootDir = joinPath(module.dirPath, root)
    const excludes = module.excludes[root] ?? []
    const walk = async (rel: string): Promise<void> => {
      const entries = await readdir(path.join(workspaceRoot, rootDir, rel), { withFileTypes: true })
      for (const entry of entries) {
        const childRel = joinPath(rel, entry.name)
        if (entry.isDirectory()) {
          if (!anyEqualsOrContains(excludes, childRel)) await walk(childRel)
        } else if (entry.isFile() && entry.name.endsWith('.proto')) {
          if (module.includes.length > 0 && !anyEqualsOrContains(module.includes, childRel)) continue
          files.push({ path: childRel, workspacePath: joinPath(rootDir, childRel) })
        }
      }
    }
    await walk('.')
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
