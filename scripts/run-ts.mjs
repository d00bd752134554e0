// Runs a TypeScript script of this repo: bundles it (dependencies stay external) into .cache/ and imports it.
import { build } from 'esbuild'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args…]')
  process.exit(2)
}
const outfile = path.resolve('.cache/run-ts', `${path.basename(entry, '.ts')}.mjs`)
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' })
process.argv = [process.argv[0], entry, ...args]
await import(pathToFileURL(outfile).href)
