import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`]
  })
}

describe('dist/', () => {
  it('is exactly what npm run build produces from src/ (rebuild and commit when this fails)', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'rg-dist-'))
    execFileSync(process.execPath, ['scripts/build.mjs', fresh], { stdio: 'pipe' })
    const expected = listFiles(fresh).sort()
    expect(listFiles('dist').sort()).toEqual(expected)
    const stale = expected.filter((f) => !readFileSync(path.join('dist', f)).equals(readFileSync(path.join(fresh, f))))
    expect(stale, 'these dist files differ from a fresh build').toEqual([])
  }, 60_000)
})
