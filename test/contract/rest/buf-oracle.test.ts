/**
 * The reason REST rules exist: a pull request that changes only a google.api.http path passes
 * `buf breaking` (buf does not check custom options, bufbuild/buf#2064) while REST clients break.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { restCompareTexts } from '../../../src/contract/rest/compare.js'
import { findBuf } from '../proto/buf-oracle.js'
import { edited, LIBRARY, libraryText, moduleWith, positionOf } from './fixture.js'

const buf = findBuf()
if (!buf) console.warn('buf is not installed (npm i @bufbuild/buf): skipping the buf oracle test')

describe.skipIf(!buf)('a PR that changes only a google.api.http path', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'rest-oracle-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  function writeModule(name: string, files: Map<string, string>): string {
    const root = path.join(scratch, name)
    for (const [modulePath, text] of files) {
      mkdirSync(path.dirname(path.join(root, modulePath)), { recursive: true })
      writeFileSync(path.join(root, modulePath), text)
    }
    writeFileSync(path.join(root, 'buf.yaml'), 'version: v2\nbreaking:\n  use: [FILE, PACKAGE, WIRE_JSON, WIRE]\n')
    return root
  }

  it('passes buf breaking but is reported by us as HTTP_SAME_PATH on that line', () => {
    const head = edited(['post: "/v1/{parent=shelves/*}/books"', 'post: "/v1/{parent=shelves/*}/volumes"'])
    const headRoot = writeModule('head', moduleWith(head))
    const baseRoot = writeModule('base', moduleWith(libraryText))
    // Exit code 0 and no output: buf sees no breaking change with every category on.
    const bufOutput = execFileSync(buf!, ['breaking', headRoot, '--against', baseRoot, '--error-format', 'json'], { encoding: 'utf8' })
    expect(bufOutput.trim()).toBe('')

    const ours = restCompareTexts(moduleWith(head), moduleWith(libraryText)).findings
    expect(ours).toHaveLength(1)
    expect(ours[0]).toMatchObject({ rule: 'HTTP_SAME_PATH', path: LIBRARY, ...positionOf(head, '"/v1/{parent=shelves/*}/volumes"') })
  })

  it('control: the same buf setup does report a field rename (so the silence above is real)', () => {
    const headRoot = writeModule('head-rename', moduleWith(edited(['string theme = 2;', 'string topic = 2;'])))
    const baseRoot = writeModule('base-rename', moduleWith(libraryText))
    let output = ''
    try {
      execFileSync(buf!, ['breaking', headRoot, '--against', baseRoot, '--error-format', 'json'], { encoding: 'utf8' })
    } catch (error) {
      output = String((error as { stdout?: string }).stdout)
    }
    expect(output).toContain('"type":"FIELD_SAME_NAME"')
  })
})
