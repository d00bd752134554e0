/** buf.work.yaml (v1): the module directories of a v1 workspace, validated like buf does. */
import { BufConfigError } from './errors.js'
import { normalizeRelativePath, strictlyContains } from './paths.js'
import type { BufWorkYamlFile } from './types.js'
import { readVersion } from './buf-yaml.js'
import { YamlSource } from './yaml-reader.js'

export function parseBufWorkYaml(text: string, file: string): BufWorkYamlFile {
  const src = new YamlSource(text, file)
  readVersion(src, 'v1', ['v1'])
  const fields = src.fields(src.root, 'buf.work.yaml', ['version', 'directories'])
  const listed = src.strings(fields.get('directories'), 'directories')
  if (listed.length === 0) src.fail(fields.get('directories')?.key ?? src.root, 'directories is empty: expected a list of module directories')
  const byPath = new Map<string, (typeof listed)[number]>()
  for (const dir of listed) {
    const normalized = normalizeRelativePath(dir.value)
    if ('error' in normalized) throw new BufConfigError(dir.at, `directory "${dir.value}" is invalid: ${normalized.error}`)
    if (byPath.has(normalized.path)) throw new BufConfigError(dir.at, `directory "${dir.value}" is listed more than once`)
    if (normalized.path === '.') {
      throw new BufConfigError(
        dir.at,
        'directory "." is listed, it is not valid to have "." as a workspace directory, as this is no different than not having a workspace at all'
      )
    }
    byPath.set(normalized.path, dir)
  }
  const directories = [...byPath.keys()].sort()
  for (let i = 0; i < directories.length; i++) {
    for (let j = i + 1; j < directories.length; j++) {
      const [a, b] = [directories[i]!, directories[j]!]
      if (strictlyContains(a, b)) throw new BufConfigError(byPath.get(b)!.at, `directory "${byPath.get(a)!.value}" contains directory "${byPath.get(b)!.value}"`)
      if (strictlyContains(b, a)) throw new BufConfigError(byPath.get(a)!.at, `directory "${byPath.get(b)!.value}" contains directory "${byPath.get(a)!.value}"`)
    }
  }
  return { file, version: 'v1', directories }
}
