/**
 * Contract benchmark: release-gate's Protobuf lint and breaking checks against buf's, side by side in
 * the same run, on the googleapis corpus (../shared/corpus/googleapis from the repo root).
 *
 *   npm run bench:contract -- [--runs 3] [--tasks lint,breaking,pr] [--node both|24|20] [--json FILE] [--keep]
 *
 * Tasks: full lint (buf defaults = STANDARD); breaking dir vs dir against a copy with 6 edits in 5 files;
 * a 5-file PR (a temp git repo whose commit is the corpus and whose working tree holds the same edits)
 * compared against the commit. Each command runs as its own process under GNU `time -v`, so wall time
 * and peak RSS are measured the same way for both tools; runs are interleaved and medians reported.
 * Findings are compared per rule ID for every task.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { applyEdits, HEAD_EDITS } from './edits.js'
import { median, parseGnuTime, type ProcessStats } from './measure.js'
import { bufRuleCounts, compareRuleCounts, oursRuleCounts } from './findings.js'

// Two levels up both from bench/contract/ and from .cache/run-ts/, where scripts/run-ts.mjs bundles this file.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = path.resolve(root, '../shared/corpus/googleapis')
const bufBinary = path.join(root, 'node_modules/@bufbuild/buf-linux-x64/bin/buf')
const GNU_TIME = '/usr/bin/time'
const BASE_TAG = 'bench-base'

const TASKS = ['lint', 'breaking', 'pr'] as const
type Task = (typeof TASKS)[number]
const TASK_TITLE: Record<Task, string> = {
  lint: 'full lint (STANDARD)',
  breaking: 'breaking dir vs dir',
  pr: 'PR, 5 files vs git ref'
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    tasks: { type: 'string', default: TASKS.join(',') },
    node: { type: 'string', default: 'both' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false }
  }
})

const runs = Number(args.runs)
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${args.runs}`)
const tasks = args.tasks.split(',').map((t) => t.trim()) as Task[]
for (const t of tasks) if (!TASKS.includes(t)) throw new Error(`--tasks: unknown task ${t} (expected ${TASKS.join(', ')})`)

if (!existsSync(corpus)) {
  console.warn(`bench:contract skipped: the googleapis corpus is not at ${path.relative(root, corpus)} (relative to the repo root)`)
  process.exit(0)
}
if (!existsSync(bufBinary)) throw new Error(`buf binary not found at ${bufBinary}: run npm ci (devDependency @bufbuild/buf)`)
if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} not found: install GNU time (Debian: apt-get install time)`)

interface Runtime {
  label: string
  node: string
  version: string
}

/** The system node is the first `node` on PATH outside node_modules (npm puts node_modules/.bin first). */
function systemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes('node_modules')) continue
    const candidate = path.join(dir, 'node')
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

function nodeVersion(node: string): string {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${node} --version failed: ${result.stderr}`)
  return result.stdout.trim()
}

function runtimes(choice: string): Runtime[] {
  const bundled = path.join(root, 'node_modules/.bin/node')
  const system = systemNode()
  const found: Runtime[] = []
  if ((choice === 'both' || choice === '24') && existsSync(bundled)) found.push({ label: 'node24', node: bundled, version: nodeVersion(bundled) })
  if ((choice === 'both' || choice === '20') && system) found.push({ label: 'node20', node: system, version: nodeVersion(system) })
  if (found.length === 0) throw new Error(`--node ${choice}: no such node found (bundled ${bundled}, system ${system ?? 'none on PATH'})`)
  for (const r of found) r.label = `node ${r.version.replace(/^v/, '').split('.')[0]}`
  return found
}

function git(cwd: string, gitArgs: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false', ...gitArgs], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.status !== 0) throw new Error(`git ${gitArgs.join(' ')} failed in ${cwd}: ${result.stderr}`)
}

/** The head tree: the corpus' .proto files, committed as the base, with the edits left in the working tree. */
async function prepareHead(work: string): Promise<string> {
  const head = path.join(work, 'head')
  await cp(corpus, head, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.proto') })
  git(head, ['init', '-q'])
  git(head, ['add', '-A'])
  git(head, ['commit', '-q', '-m', 'base'])
  git(head, ['tag', BASE_TAG])
  await applyEdits(head, HEAD_EDITS)
  return head
}

interface Measurement extends ProcessStats {
  task: Task
  tool: string
  round: number
  exitCode: number
  load1: number
  ruleCounts: Map<string, number>
}

/** Runs one command under GNU time with stdout to a file; exit codes other than `ok` are failures. */
async function measure(cmd: string[], cwd: string, outFile: string, ok: number[]): Promise<{ stats: ProcessStats; exitCode: number }> {
  const timeFile = `${outFile}.time`
  const out = createWriteStream(outFile)
  await new Promise<void>((resolve, reject) => out.on('open', () => resolve()).on('error', reject))
  const child = spawn(GNU_TIME, ['-v', '-o', timeFile, ...cmd], { cwd, stdio: ['ignore', out, 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)))
  const exitCode = await new Promise<number>((resolve, reject) => child.on('error', reject).on('close', (code) => resolve(code ?? -1)))
  out.close()
  if (!ok.includes(exitCode)) throw new Error(`${cmd.join(' ')} (in ${cwd}) exited ${exitCode}, expected ${ok.join(' or ')}:\n${stderr}`)
  return { stats: parseGnuTime(await readFile(timeFile, 'utf8'), timeFile), exitCode }
}

interface Invocation {
  tool: string
  cmd: string[]
  cwd: string
  ok: number[]
  counts: (output: string) => Map<string, number>
}

function invocations(task: Task, cli: string, nodes: Runtime[], head: string): Invocation[] {
  // buf exits 100 when it reports findings; release-gate exits 1 on a failing verdict.
  const buf = (bufArgs: string[], cwd: string): Invocation => ({ tool: 'buf', cmd: [bufBinary, ...bufArgs, '--error-format', 'json'], cwd, ok: [0, 100], counts: bufRuleCounts })
  const ours = (oursArgs: string[], cwd: string): Invocation[] =>
    nodes.map((r) => ({ tool: `ours ${r.label}`, cmd: [r.node, cli, 'contract', ...oursArgs, '--format', 'json'], cwd, ok: [0, 1], counts: oursRuleCounts }))
  switch (task) {
    case 'lint':
      return [buf(['lint', corpus], head), ...ours(['lint', corpus], head)]
    case 'breaking':
      return [buf(['breaking', head, '--against', corpus], head), ...ours(['breaking', head, '--against', corpus], head)]
    case 'pr':
      return [buf(['breaking', '.', '--against', `.git#ref=${BASE_TAG}`], head), ...ours(['breaking', '.', '--against', BASE_TAG], head)]
  }
}

const fmtSeconds = (s: number) => `${s.toFixed(2)} s`
const fmtMiB = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`
const fmtRatio = (r: number) => `${r.toFixed(2)}×`

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')
}

async function main(): Promise<void> {
  const nodes = runtimes(args.node)
  const work = await mkdtemp(path.join(os.tmpdir(), 'rg-bench-contract-'))
  const results: Measurement[] = []
  const loadStart = os.loadavg()
  try {
    console.log(`corpus: ${path.relative(root, corpus)}; buf: ${nodeVersionOf(bufBinary)}; ours on ${nodes.map((n) => `${n.node} (${n.version})`).join(', ')}`)
    console.log(`machine: ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}`)
    const dist = path.join(work, 'dist')
    const build = spawnSync(process.execPath, ['scripts/build.mjs', dist], { cwd: root, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`building the CLI from src failed: ${build.stderr}`)
    const cli = path.join(dist, 'cli.js')
    const head = await prepareHead(work)
    const outputs = path.join(work, 'out')
    await mkdir(outputs)
    console.log(`work dir ${work}: CLI built from src, head tree committed as ${BASE_TAG} with ${HEAD_EDITS.length} edits in the working tree`)

    for (let round = 1; round <= runs; round++) {
      for (const task of tasks) {
        const list = invocations(task, cli, nodes, head)
        // Alternate the order each round so neither tool always runs on a warmer (or busier) machine.
        if (round % 2 === 0) list.reverse()
        for (const inv of list) {
          const load1 = os.loadavg()[0]!
          const outFile = path.join(outputs, `${task}-${inv.tool.replace(/\W+/g, '_')}-${round}.out`)
          const { stats, exitCode } = await measure(inv.cmd, inv.cwd, outFile, inv.ok)
          const ruleCounts = inv.counts(await readFile(outFile, 'utf8'))
          await rm(outFile)
          results.push({ ...stats, task, tool: inv.tool, round, exitCode, load1, ruleCounts })
          console.log(
            `round ${round} ${task.padEnd(8)} ${inv.tool.padEnd(12)} wall ${fmtSeconds(stats.wallSeconds)}  cpu ${fmtSeconds(stats.userSeconds + stats.systemSeconds)}  rss ${fmtMiB(stats.maxRssKb)}  findings ${sum(ruleCounts)}  load1 ${load1.toFixed(2)}`
          )
        }
      }
      // A table after every round: long runs on a busy machine still leave numbers if stopped early.
      if (round < runs) report(results, nodes, round)
    }
  } finally {
    if (args.keep) console.log(`kept ${work}`)
    else await rm(work, { recursive: true, force: true })
  }
  report(results, nodes, runs)
  if (args.json) await writeFile(args.json, JSON.stringify(results.map((r) => ({ ...r, ruleCounts: Object.fromEntries(r.ruleCounts) })), null, 2))
}

function nodeVersionOf(binary: string): string {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()
}

const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)

function report(results: Measurement[], nodes: Runtime[], rounds: number): void {
  const rows = [['task', 'buf wall', 'ours wall', 'ratio', 'buf RSS', 'ours RSS', 'ratio', 'buf CPU', 'ours CPU', 'target met?']]
  const agreement: string[] = []
  for (const task of tasks) {
    const bufRuns = results.filter((r) => r.task === task && r.tool === 'buf')
    const bufWall = median(bufRuns.map((r) => r.wallSeconds))
    const bufRss = median(bufRuns.map((r) => r.maxRssKb))
    const bufCpu = median(bufRuns.map((r) => r.userSeconds + r.systemSeconds))
    for (const runtime of nodes) {
      const tool = `ours ${runtime.label}`
      const ours = results.filter((r) => r.task === task && r.tool === tool)
      const wall = median(ours.map((r) => r.wallSeconds))
      const rss = median(ours.map((r) => r.maxRssKb))
      const cpu = median(ours.map((r) => r.userSeconds + r.systemSeconds))
      const target =
        task === 'pr'
          ? `${wall <= 2 ? 'yes' : 'NO'} (≤ 2 s)`
          : `wall ${wall / bufWall <= 0.33 ? 'yes' : 'NO'} (≤ 0.33×), RSS ${rss / bufRss <= 0.25 ? 'yes' : 'NO'} (≤ 0.25×)`
      rows.push([`${TASK_TITLE[task]}, ${runtime.label}`, fmtSeconds(bufWall), fmtSeconds(wall), fmtRatio(wall / bufWall), fmtMiB(bufRss), fmtMiB(rss), fmtRatio(rss / bufRss), fmtSeconds(bufCpu), fmtSeconds(cpu), target])
      for (const run of ours) {
        const bufRun = bufRuns.find((r) => r.round === run.round)
        if (!bufRun) continue
        const diff = compareRuleCounts(bufRun.ruleCounts, run.ruleCounts)
        const head = `${TASK_TITLE[task]}, ${runtime.label}, round ${run.round}: buf ${sum(bufRun.ruleCounts)}, ours ${sum(run.ruleCounts)} findings`
        agreement.push(diff.length === 0 ? `${head}; same count for all ${bufRun.ruleCounts.size} rules` : `${head}; DIFFER: ${diff.join(', ')}`)
      }
    }
  }
  const loads = results.map((r) => r.load1)
  console.log(`\nmedians of ${rounds} interleaved run(s); wall and max RSS from GNU time -v; CPU = user + sys`)
  console.log(table(rows))
  console.log(`\nload average (1 min) when each command started: min ${Math.min(...loads).toFixed(2)}, median ${median(loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}; at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  console.log('\nfindings per rule, buf vs ours:')
  for (const line of agreement) console.log(`  ${line}`)
}

await main()
