import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generatedFiles } from '../../scripts/docs.js'

describe('generated files', () => {
  it.each(Object.entries(generatedFiles((f) => readFileSync(f, 'utf8'))))('%s matches the code (run npm run gen)', (file, expected) => {
    expect(readFileSync(file, 'utf8')).toBe(expected)
  })
})
