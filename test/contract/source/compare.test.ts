/** compareTrees on inputs that do not compile: COMPILE findings where buf prints them. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareTrees } from '../../../src/contract/source/compare.js'
import { directoryTree } from '../../../src/contract/source/tree.js'
import { bufAvailable, bufBreaking, toBufLine } from '../breaking/oracle.js'

const good = 'syntax = "proto3";\npackage a;\nmessage M {}\n'
const bad = 'syntax = "proto3";\npackage a;\nmessage M { Missing m = 1; }\n'

describe.skipIf(!bufAvailable)('compareTrees with compile errors', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'release-gate-compile-'))
    for (const [dir, text] of [['ok', good], ['broken', bad]] as const) {
      await mkdir(path.join(work, dir), { recursive: true })
      await writeFile(path.join(work, dir, 'a.proto'), text)
    }
  })
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('reports the head’s errors as COMPILE findings', async () => {
    const result = await compareTrees(directoryTree(path.join(work, 'broken')), directoryTree(path.join(work, 'ok')))
    expect(result.compileFailure?.side).toBe('head')
    expect(result.findings.map(toBufLine)).toEqual(await bufBreaking(path.join(work, 'broken'), path.join(work, 'ok')))
  })

  it('reports the base’s errors under the base’s display path', async () => {
    const result = await compareTrees(directoryTree(path.join(work, 'ok')), directoryTree(path.join(work, 'broken')), {
      baseDisplayPath: (file) => `../broken/${file}`
    })
    expect(result.compileFailure?.side).toBe('base')
    const buf = await bufBreaking(path.join(work, 'ok'), path.join(work, 'broken'))
    expect(buf.map((line) => line.type)).toEqual(['COMPILE'])
    expect(result.findings.map(toBufLine)).toEqual(buf)
  })
})
