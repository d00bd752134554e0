/**
 * A buf image (`buf build -o image.json`) as a compare input gives the findings buf prints for
 * the same sources, and the same as compiling the sources with release-gate's front end.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { breakingCompare } from '../../../src/contract/breaking.js'
import { compareTrees } from '../../../src/contract/source/compare.js'
import { ImageFormatError, readBufImage } from '../../../src/contract/source/image.js'
import { directoryTree } from '../../../src/contract/source/tree.js'
import { BUF, bufAvailable, bufBreaking, repoRoot, toBufLine } from '../breaking/oracle.js'

const run = promisify(execFile)
const cases = ['category_csr', 'field_same_default', 'field_same_type_groups', 'package_message_no_delete', 'enum_value_same_name']
const options = { use: ['FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE', 'CSR'] }

describe.skipIf(!bufAvailable)('buf image input', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'release-gate-image-'))
  })
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it.each(cases)('%s: image compare = buf = source compare', async (name) => {
    const dir = path.join(repoRoot, 'test/contract/testdata/breaking', name)
    const images = await Promise.all(
      ['head', 'base'].map(async (side) => {
        const out = path.join(work, `${name}-${side}.json`)
        await run(BUF, ['build', '-o', out, '--config', '{"version":"v2"}'], { cwd: path.join(dir, side) })
        return readBufImage(await readFile(out, 'utf8'))
      })
    )
    const fromImages = breakingCompare(images[0]!, images[1]!, options).findings.map(toBufLine)
    const fromSources = (await compareTrees(directoryTree(path.join(dir, 'head')), directoryTree(path.join(dir, 'base')), options)).findings.map(toBufLine)
    const buf = await bufBreaking(path.join(dir, 'head'), path.join(dir, 'base'), JSON.stringify({ version: 'v2', breaking: options }))
    expect(buf.length).toBeGreaterThan(0)
    expect(fromImages).toEqual(buf)
    expect(fromSources).toEqual(buf)
  })

  it('rejects JSON that is not an image', () => {
    expect(() => readBufImage('{"files": []}')).toThrow(ImageFormatError)
  })
})
