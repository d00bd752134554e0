// Bundles src into dist/: one ESM bundle per entry (CLI, action main, action post) with shared
// chunks, so the action and the CLI run the very same core. esbuild: fast, deterministic output,
// no plugin chain to keep in step (see README, Contributing).
import { build } from 'esbuild'
import { rm } from 'node:fs/promises'

const outdir = process.argv[2] ?? 'dist'
await rm(outdir, { recursive: true, force: true })
await build({
  entryPoints: { cli: 'src/cli/index.ts', 'action/main': 'src/action/index.ts', 'action/post': 'src/action/post-index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // The oldest runtime the CLI supports; the action itself runs on node24.
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  // Some bundled dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);" },
  logLevel: 'warning'
})
