import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generatedFiles } from '../../scripts/docs.js'

describe('generated files', () => {
  it.each(Object.entries(generatedFiles((f) => readFileSync(f, 'utf8'))))('%s matches the code (run npm run gen)', (file, expected) => {
    expect(readFileSync(file, 'utf8')).toBe(expected)
  })
})

describe('README', () => {
  it('shows the gates exactly as the quick-start config has them', () => {
    const readme = readFileSync('README.md', 'utf8')
    const section = readme.slice(readme.indexOf('## Gates'))
    const block = section.slice(section.indexOf('```yaml\n') + 8, section.indexOf('```\n', section.indexOf('```yaml\n') + 8))
    expect(readFileSync('examples/quickstart/.release-gate.yml', 'utf8')).toContain(block)
  })
})
