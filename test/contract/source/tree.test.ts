/** The directory side of a compare. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { directoryTree } from '../../../src/contract/source/tree.js'

describe('directoryTree', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'release-gate-tree-'))
    for (const file of ['b/x.proto', 'a/y.proto', 'a/z.txt', 'vendor/v.proto', '.git/objects/o.proto', 'Z.proto']) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true })
      await writeFile(path.join(root, file), `// ${file}\n`)
    }
  })
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true })
  })

  it('lists .proto files by module path in byte order, without .git and excluded directories', async () => {
    const tree = directoryTree(root, { exclude: ['vendor'] })
    expect(await tree.list()).toEqual(['Z.proto', 'a/y.proto', 'b/x.proto'])
    expect(await tree.read('b/x.proto')).toBe('// b/x.proto\n')
    expect(await tree.read('b/missing.proto')).toBeUndefined()
  })
})
