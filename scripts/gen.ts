// Writes everything generated from the code: the config JSON Schema and the README's reference tables.
// `npm run gen` writes; the tests fail when the committed files differ from what this produces.
import { readFileSync, writeFileSync } from 'node:fs'
import { generatedFiles } from './docs.js'

const check = process.argv.includes('--check')
let stale = 0
for (const [file, content] of Object.entries(generatedFiles((f) => readFileSync(f, 'utf8')))) {
  let current = ''
  try {
    current = readFileSync(file, 'utf8')
  } catch {}
  if (current === content) continue
  stale++
  if (check) console.error(`${file} is stale: run npm run gen`)
  else {
    writeFileSync(file, content)
    console.log(`wrote ${file}`)
  }
}
process.exitCode = check && stale > 0 ? 1 : 0
