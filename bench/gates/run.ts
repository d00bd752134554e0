/**
 * Gate benchmark: replays random canary runs of every scenario into a real Prometheus (promtool
 * backfill, one server per scenario) and judges each run three ways: release-gate's configured
 * gates, an Argo-style threshold analysis and a Kayenta-style fixed-horizon Mann-Whitney.
 *
 *   npm run bench:gates -- [--healthy-seeds 100] [--bad-seeds 50] [--seed-base 1] [--concurrency 4] [--json FILE] [--config FILE]
 *
 * --config benchmarks your own gates instead of the built-in ones (methods.ts): a .release-gate.yml
 * whose queries select a run with {{ run }} and use the metric names of scenarios.ts.
 *
 * Prints, per method and scenario, how runs ended and how many rounds after the change became
 * visible a failing run was stopped. Needs prometheus and promtool (test/infra/prometheus/install.sh).
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PrometheusClient } from '../../src/prometheus/client.js'
import { backfillOpenMetrics, findBinary, startPrometheus } from '../../test/infra/prometheus/harness.js'
import { judgeArgo, judgeKayenta, judgeReleaseGate, releaseGateGates, type Judged } from './methods.js'
import { INTERVAL, ONSET, SCENARIOS, runsOpenMetrics, type RunSpec, type Scenario } from './scenarios.js'

const METHOD_NAMES = ['release-gate', 'argo-style', 'kayenta-style'] as const
type MethodName = (typeof METHOD_NAMES)[number]

interface RunResult {
  scenario: string
  run: string
  results: Record<MethodName, Judged>
}

const { values: args } = parseArgs({
  options: {
    'healthy-seeds': { type: 'string', default: '100' },
    'bad-seeds': { type: 'string', default: '50' },
    'seed-base': { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    json: { type: 'string' },
    config: { type: 'string' }
  }
})

const gates = args.config ? releaseGateGates(await readFile(args.config, 'utf8'), args.config) : releaseGateGates()
const METHODS: Array<{ name: MethodName; judge: (prometheus: PrometheusClient, run: string) => Promise<Judged> }> = [
  { name: 'release-gate', judge: (prometheus, run) => judgeReleaseGate(prometheus, run, gates) },
  { name: 'argo-style', judge: judgeArgo },
  { name: 'kayenta-style', judge: judgeKayenta }
]

async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!)
      }
    })
  )
  return out
}

async function benchScenario(scenario: Scenario, seeds: number, seedBase: number, concurrency: number): Promise<RunResult[]> {
  const runs: RunSpec[] = Array.from({ length: seeds }, (_, i) => {
    const seed = seedBase + i
    // Distinct random streams per scenario and seed.
    return { scenario, seed: seed * 7919 + SCENARIOS.indexOf(scenario) * 104_729, id: `${scenario.name}#${seed}` }
  })
  const blocks = await backfillOpenMetrics(runsOpenMetrics(runs))
  const prometheus = await startPrometheus({ blocksDir: blocks }).finally(() => rm(path.dirname(blocks), { recursive: true, force: true }))
  const client = new PrometheusClient({ url: prometheus.url, timeoutMs: 30_000 })
  try {
    return await pool(runs, concurrency, async (run) => {
      const results = {} as Record<MethodName, Judged>
      for (const method of METHODS) results[method.name] = await method.judge(client, run.id)
      return { scenario: scenario.name, run: run.id, results }
    })
  } finally {
    await client.close()
    await prometheus.stop()
  }
}

const pct = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(n === of || n === 0 ? 0 : 1)}%`)

/** Rounds after the change became visible; negative = stopped after the onset but before the visible mark (ramps). */
function latency(scenario: Scenario, judged: Judged): number | undefined {
  if (judged.outcome !== 'fail' || judged.decidedAt === undefined || scenario.visibleAt === undefined) return undefined
  return (judged.decidedAt - scenario.visibleAt) / INTERVAL
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

function report(all: RunResult[]): string {
  const lines: string[] = []
  for (const method of METHODS) {
    lines.push('', `== ${method.name} ==`, 'scenario         runs   fail   inconcl.  pass   stopped before onset   rounds after visible change (median / p95 / max; share ≤ 2)')
    let badRuns = 0
    let detected = 0
    let healthyRuns = 0
    let falseFails = 0
    let within2 = 0
    for (const scenario of SCENARIOS) {
      const rows = all.filter((r) => r.scenario === scenario.name).map((r) => r.results[method.name])
      if (rows.length === 0) continue
      const count = (o: string) => rows.filter((j) => j.outcome === o).length
      const early = rows.filter((j) => j.outcome === 'fail' && j.decidedAt !== undefined && j.decidedAt <= ONSET).length
      const lat = rows.map((j) => latency(scenario, j)).filter((v): v is number => v !== undefined).sort((a, b) => a - b)
      const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))
      const latencyText = scenario.bad && lat.length > 0 ? `${fmt(quantile(lat, 0.5))} / ${fmt(quantile(lat, 0.95))} / ${fmt(lat.at(-1)!)}; ${pct(lat.filter((v) => v <= 2).length, lat.length)}` : '—'
      lines.push(
        `${scenario.name.padEnd(16)} ${String(rows.length).padStart(4)}  ${pct(count('fail'), rows.length).padStart(6)}  ${pct(count('inconclusive'), rows.length).padStart(6)}  ${pct(count('pass'), rows.length).padStart(6)}   ${String(scenario.bad ? early : '—').padStart(4)}                   ${latencyText}`
      )
      if (scenario.bad) {
        badRuns += rows.length
        detected += count('fail') - early
        within2 += lat.filter((v) => v <= 2).length
      } else {
        healthyRuns += rows.length
        falseFails += count('fail')
      }
    }
    lines.push(
      `detection (failed after the onset) ${detected}/${badRuns} = ${pct(detected, badRuns)}; false fails on healthy runs ${falseFails}/${healthyRuns} = ${pct(falseFails, healthyRuns)}; stopped ≤ 2 rounds after the visible change ${within2}/${badRuns} = ${pct(within2, badRuns)}`
    )
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  for (const binary of ['prometheus', 'promtool'])
    if (!findBinary(binary)) {
      console.error(`bench:gates: ${binary} is not installed; run test/infra/prometheus/install.sh`)
      process.exit(2)
    }
  const healthySeeds = Number(args['healthy-seeds'])
  const badSeeds = Number(args['bad-seeds'])
  const seedBase = Number(args['seed-base'])
  const concurrency = Number(args.concurrency)
  const started = Date.now()
  const all: RunResult[] = []
  for (const scenario of SCENARIOS) {
    const t0 = Date.now()
    const results = await benchScenario(scenario, scenario.bad ? badSeeds : healthySeeds, seedBase, concurrency)
    all.push(...results)
    console.error(`${scenario.name}: ${results.length} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  }
  console.log(`gate benchmark: ${all.length} runs, seeds ${seedBase}…, ${((Date.now() - started) / 1000).toFixed(0)} s; rounds every ${INTERVAL} s, change at round 6 of 20; release-gate config: ${args.config ?? 'built-in (bench/gates/methods.ts)'}`)
  for (const s of SCENARIOS) console.log(`  ${s.name}: ${s.description}`)
  console.log(report(all))
  if (args.json) await writeFile(args.json, JSON.stringify(all, null, 1))
}

await main()
