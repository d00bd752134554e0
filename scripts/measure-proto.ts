/**
 * Measures the proto front end on a directory of .proto files (a module root), e.g. the
 * googleapis corpus:
 *
 *   node_modules/.bin/node --experimental-strip-types scripts/measure-proto.ts ../shared/corpus/googleapis
 *
 * Parses and links every file once (a cold run, as the CLI does it) and prints file/line
 * counts, errors, unused imports, wall and CPU time per phase and peak RSS. Needs Node >= 22.15
 * (module.registerHooks) so the TypeScript sources run without a build.
 */
import { registerHooks } from 'node:module'
import { statSync } from 'node:fs'
import { join } from 'node:path'

// The sources import each other as './x.js'; under type stripping the files are './x.ts'.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context)
    } catch (e) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context)
      throw e
    }
  }
})

const entry = new URL('../src/contract/proto/index.ts', import.meta.url).href
const { compile, directoryLoader, listProtoFiles } = (await import(entry)) as typeof import('../src/contract/proto/index.js')

const root = process.argv[2]
if (!root) {
  console.error('usage: node --experimental-strip-types scripts/measure-proto.ts <proto root directory>')
  process.exit(2)
}

const cpu0 = process.cpuUsage()
const t0 = performance.now()
const targets = listProtoFiles(root)
const t1 = performance.now()
const result = compile(directoryLoader([root]), { targets })
const t2 = performance.now()
const cpu = process.cpuUsage(cpu0)

let lines = 0
let bytes = 0
let unused = 0
for (const f of result.files) {
  const text = f.source
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++ // as wc -l counts
  bytes += statSync(join(root, f.path)).size
  for (const imp of f.imports) if (!imp.used) unused++
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(0)
console.log(`files:          ${result.files.length} targets (+${result.byPath.size - result.files.length} imported/well-known), ${lines} lines, ${mb(bytes)} MiB`)
console.log(`errors:         ${result.errors.length}`)
for (const e of result.errors.slice(0, 10)) console.log(`  ${e.message}`)
console.log(`unused imports: ${unused}`)
console.log(`list files:     ${(t1 - t0).toFixed(0)} ms`)
console.log(`read+parse:     ${result.timings.parseMs.toFixed(0)} ms`)
console.log(`link:           ${result.timings.linkMs.toFixed(0)} ms`)
console.log(`total wall:     ${(t2 - t0).toFixed(0)} ms`)
console.log(`total CPU:      ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (user ${(cpu.user / 1000).toFixed(0)}, system ${(cpu.system / 1000).toFixed(0)})`)
console.log(`peak RSS:       ${mb(process.resourceUsage().maxRSS * 1024)} MiB`)
console.log(`heap used:      ${mb(process.memoryUsage().heapUsed)} MiB`)
