/**
 * Differential test on real files: deterministic samples of googleapis (shared corpus) get one
 * mutation per sampled file — breaking edits in some batches, additions that must not be
 * reported in others — and release-gate must print exactly what buf prints. The same batches
 * check that a scoped compare (only the changed files and what they reach) equals the full one.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { breakingCompare } from '../../../src/contract/breaking.js'
import { loadSide } from '../../../src/contract/source/compare.js'
import { scanHeader } from '../../../src/contract/source/scan.js'
import { directoryTree } from '../../../src/contract/source/tree.js'
import { ADDITION_KINDS, BREAKING_KINDS, mutate, pick, random, type Mutation, type MutationKind } from './mutate.js'
import { bufAvailable, bufBreaking, oursBreaking, repoRoot, startKey, toBufLine, type BufLine } from './oracle.js'

const corpusDir = path.resolve(repoRoot, '../shared/corpus/googleapis')
const corpusPresent = existsSync(corpusDir)
if (!corpusPresent) console.warn(`googleapis corpus not found at ../shared/corpus/googleapis: skipping the breaking corpus tests`)

const ALL_CATEGORIES = ['FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE', 'CSR']
const SEED = 20260822
const TARGETS_PER_BATCH = 22

interface Batch {
  name: string
  kinds: readonly MutationKind[]
  seed: number
}

const BATCHES: Batch[] = [
  { name: 'breaking edits, seed A', kinds: BREAKING_KINDS, seed: SEED },
  { name: 'breaking edits, seed B', kinds: BREAKING_KINDS, seed: SEED + 1 },
  { name: 'additions only', kinds: ADDITION_KINDS, seed: SEED + 3 }
]

interface BatchResult {
  mutations: Mutation[]
  buf: BufLine[]
  ours: BufLine[]
  scopedAll: BufLine[]
  fullDefault: BufLine[]
  scopedDefault: BufLine[]
}

describe.skipIf(!corpusPresent || !bufAvailable)('breaking on mutated googleapis samples against buf', () => {
  let work: string
  let corpusPaths: string[]
  const results = new Map<string, BatchResult>()

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'release-gate-breaking-corpus-'))
    corpusPaths = await directoryTree(corpusDir).list()
    for (const batch of BATCHES) results.set(batch.name, await runBatch(batch))
  }, 300_000)

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
    const totals = { findings: 0, start: 0, full: 0 }
    for (const { buf, ours } of results.values()) {
      const oursStarts = new Set(ours.map(startKey))
      const oursFull = new Set(ours.map((line) => JSON.stringify(line)))
      totals.findings += buf.length
      totals.start += buf.filter((line) => oursStarts.has(startKey(line))).length
      totals.full += buf.filter((line) => oursFull.has(JSON.stringify(line))).length
    }
    const mutations = [...results.values()].reduce((sum, result) => sum + result.mutations.length, 0)
    const byRule = new Map<string, number>()
    for (const { buf } of results.values()) for (const line of buf) byRule.set(line.type, (byRule.get(line.type) ?? 0) + 1)
    console.log(
      `breaking corpus: ${mutations} mutations, buf findings ${totals.findings}, same rule+path+start ${totals.start}, ` +
        `same in every field (end, message) ${totals.full}; by rule: ${[...byRule].map(([rule, count]) => `${rule} ${count}`).join(', ')}`
    )
  })

  async function runBatch(batch: Batch): Promise<BatchResult> {
    const rand = random(batch.seed)
    // Every other target from a file named like a service definition, so rpc mutations have material.
    // google/ads files import hundreds of others; leave them out to keep batches small.
    const candidates = corpusPaths.filter((file) => !file.startsWith('google/ads/'))
    const serviceFiles = candidates.filter((file) => /service/.test(path.basename(file)))
    const targets = new Set<string>()
    while (targets.size < TARGETS_PER_BATCH) targets.add(pick(rand, targets.size % 2 === 0 ? serviceFiles : candidates)!)
    const module = await importClosure([...targets])
    const texts = new Map<string, string>()
    for (const file of module) texts.set(file, await readFile(path.join(corpusDir, file), 'utf8'))

    // One mutation per target, kinds in turn. A mutation that breaks compilation (of its own
    // file or of a file importing it) is taken back, and the compile repeated.
    const head = new Map(texts)
    let mutations: Mutation[] = []
    let turn = 0
    for (const target of [...targets].sort()) {
      for (let attempt = 0; attempt < batch.kinds.length; attempt++) {
        const mutation = mutate(target, head.get(target)!, batch.kinds[(turn + attempt) % batch.kinds.length]!, rand)
        if (!mutation) continue
        head.set(target, mutation.text)
        mutations.push(mutation)
        break
      }
      turn++
    }
    let headSide = loadSide(head)
    for (let round = 0; round < 5 && headSide.errors.length > 0; round++) {
      // Blame the mutated files with errors; for an error in an untouched file, the files it imports.
      const culprits = new Set<string>()
      for (const error of headSide.errors) {
        if (mutations.some((mutation) => mutation.path === error.file)) culprits.add(error.file)
        else for (const imp of scanHeader(head.get(error.file) ?? '').imports) culprits.add(imp.path)
      }
      for (const mutation of mutations) if (culprits.has(mutation.path)) head.set(mutation.path, texts.get(mutation.path)!)
      mutations = mutations.filter((mutation) => !culprits.has(mutation.path))
      headSide = loadSide(head)
    }
    expect(headSide.errors).toEqual([])
    const baseSide = loadSide(texts)

    const dir = path.join(work, batch.name.replace(/\W+/g, '-'))
    await writeTree(path.join(dir, 'base'), texts)
    await writeTree(path.join(dir, 'head'), head)
    const headDir = path.join(dir, 'head')
    const baseDir = path.join(dir, 'base')
    const config = JSON.stringify({ version: 'v2', breaking: { use: ALL_CATEGORIES } })
    const changed = mutations.map((mutation) => mutation.path)
    const ours = breakingCompare(headSide.files, baseSide.files, { use: ALL_CATEGORIES }).findings.map(toBufLine)
    const fullDefault = breakingCompare(headSide.files, baseSide.files, {}).findings.map(toBufLine)
    const [buf, scopedAll, scopedDefault] = await Promise.all([
      bufBreaking(headDir, baseDir, config),
      oursBreaking(headDir, baseDir, { use: ALL_CATEGORIES, changed }),
      oursBreaking(headDir, baseDir, { changed })
    ])
    return { mutations, buf, ours, scopedAll, fullDefault, scopedDefault }
  }

  /** The sample plus every corpus file it imports, transitively (well-known types come from the compiler). */
  async function importClosure(targets: string[]): Promise<Set<string>> {
    const closure = new Set<string>()
    const queue = [...targets]
    while (queue.length > 0) {
      const file = queue.pop()!
      if (closure.has(file) || !existsSync(path.join(corpusDir, file))) continue
      closure.add(file)
      for (const imp of scanHeader(await readFile(path.join(corpusDir, file), 'utf8')).imports) queue.push(imp.path)
    }
    return closure
  }

  it.each(BATCHES.map((batch) => batch.name))('%s: same findings as buf (all categories)', (name) => {
    const result = results.get(name)!
    expect(result.mutations.length).toBeGreaterThanOrEqual(TARGETS_PER_BATCH - 4)
    expect(result.ours).toEqual(result.buf)
  })

  it('covers every mutation kind and finds breaking changes only where expected', () => {
    const kinds = new Set([...results.values()].flatMap((result) => result.mutations.map((mutation) => mutation.kind)))
    expect([...BREAKING_KINDS, ...ADDITION_KINDS].filter((kind) => !kinds.has(kind))).toEqual([])
    for (const batch of BATCHES) {
      const { buf } = results.get(batch.name)!
      if (batch.kinds === ADDITION_KINDS) expect(buf).toEqual([])
      else expect(buf.length).toBeGreaterThan(TARGETS_PER_BATCH)
    }
  })

  it.each(BATCHES.map((batch) => batch.name))('%s: a scoped compare of the changed files equals the full compare', (name) => {
    const result = results.get(name)!
    expect(result.scopedAll).toEqual(result.ours)
    expect(result.scopedDefault).toEqual(result.fullDefault)
  })
})

async function writeTree(root: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), text)
  }
}
