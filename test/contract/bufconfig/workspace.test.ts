import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BufConfigError, listModuleFiles, loadBufWorkspace } from '../../../src/contract/bufconfig/index.js'

const fixtures = path.resolve(import.meta.dirname, '../testdata/lint')

async function filesOf(dir: string) {
  const ws = await loadBufWorkspace(path.join(fixtures, dir))
  return Promise.all(ws.modules.map(async (m) => ({ dirPath: m.dirPath, files: await listModuleFiles(ws.root, m) })))
}

describe('loadBufWorkspace + listModuleFiles', () => {
  it('v2 modules: module-relative import paths, excludes skipped, unlisted directories ignored', async () => {
    expect(await filesOf('v2_modules')).toEqual([
      {
        dirPath: 'proto',
        files: [
          { path: 'acme/v1/a.proto', workspacePath: 'proto/acme/v1/a.proto' },
          { path: 'acme/v1/e.proto', workspacePath: 'proto/acme/v1/e.proto' }
        ]
      },
      {
        dirPath: 'other',
        files: [
          { path: 'o/v1/o.proto', workspacePath: 'other/o/v1/o.proto' },
          { path: 'o/v1/skip.proto', workspacePath: 'other/o/v1/skip.proto' }
        ]
      }
    ])
  })

  it('buf.work.yaml: one module per directory, its own buf.yaml or v1 defaults', async () => {
    const ws = await loadBufWorkspace(path.join(fixtures, 'v1_workspace'))
    expect(ws.configFile).toBe('buf.work.yaml')
    expect(ws.modules.map((m) => [m.dirPath, m.configFile, m.lint.version, m.lint.use, m.lint.allowCommentIgnores])).toEqual([
      ['one', 'one/buf.yaml', 'v1', ['DEFAULT'], true],
      ['two', undefined, 'v1', [], false]
    ])
  })

  it('v1beta1 roots: import paths relative to each root, printed with the root', async () => {
    expect(await filesOf('v1beta1_roots')).toEqual([
      {
        dirPath: '.',
        files: [
          { path: 'acme/v1/a.proto', workspacePath: 'proto/acme/v1/a.proto' },
          { path: 'ext/v1/ext.proto', workspacePath: 'vendor/ext/v1/ext.proto' }
        ]
      }
    ])
  })

  it('no config: one module with buf v1 defaults (FIELD_NOT_REQUIRED is not a v1 default)', async () => {
    const ws = await loadBufWorkspace(path.join(fixtures, 'no_config'))
    expect(ws.configFile).toBeUndefined()
    expect(ws.modules).toHaveLength(1)
    expect(ws.modules[0]!.lint).toMatchObject({ version: 'v1', use: [], allowCommentIgnores: false })
  })

  it('configOverride replaces the files on disk, like buf --config', async () => {
    const ws = await loadBufWorkspace(path.join(fixtures, 'v1_workspace'), { configOverride: 'version: v2\nlint:\n  use: [MINIMAL]\n' })
    expect(ws.version).toBe('v2')
    expect(ws.modules.map((m) => [m.dirPath, m.lint.use])).toEqual([['.', ['MINIMAL']]])
  })

  it('keeps plugins and policies so they can be reported as not run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-bufws-'))
    try {
      await writeFile(path.join(dir, 'buf.yaml'), 'version: v2\nplugins:\n  - plugin: buf-plugin-suffix\n    options: {suffix: x}\npolicies:\n  - policy: buf.build/acme/policy\n')
      const ws = await loadBufWorkspace(dir)
      expect(ws.plugins).toEqual([{ plugin: 'buf-plugin-suffix', at: { file: 'buf.yaml', line: 3, column: 5 } }])
      expect(ws.policies.map((p) => p.plugin)).toEqual(['buf.build/acme/policy'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a v2 buf.yaml inside a buf.work.yaml directory is an error naming the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rg-bufws-'))
    try {
      await writeFile(path.join(dir, 'buf.work.yaml'), 'version: v1\ndirectories: [proto]\n')
      await mkdir(path.join(dir, 'proto'))
      await writeFile(path.join(dir, 'proto/buf.yaml'), 'version: v2\n')
      const err = await loadBufWorkspace(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BufConfigError)
      expect((err as BufConfigError).message).toMatch(/^proto\/buf\.yaml:1:1: a v2 buf\.yaml cannot be a module of a buf\.work\.yaml workspace/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
