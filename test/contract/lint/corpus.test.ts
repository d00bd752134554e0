/**
 * googleapis sample, full STANDARD (v2 default) rule set, against buf. The sample is a set of
 * seed directories plus everything they import, copied into a temporary module. The whole
 * corpus runs only when RELEASE_GATE_FULL_CORPUS=1 (it takes buf about half a minute).
 */
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listProtoFiles } from '../../../src/contract/proto/index.js'
import { lintWorkspace } from '../../../src/contract/lint.js'
import { bufAvailable, bufLint, fromBuf, fromOurs, repoRoot } from './buf-oracle.js'

const corpus = path.resolve(repoRoot, '../shared/corpus/googleapis')
const corpusPresent = existsSync(path.join(corpus, 'google'))
if (!corpusPresent) console.warn(`googleapis corpus not found at ${corpus}: corpus lint tests skipped`)

const SEEDS = [
  'google/api',
  'google/type',
  'google/rpc',
  'google/longrunning',
  'google/iam/v1',
  'google/pubsub/v1',
  'google/cloud/tasks/v2',
  'google/logging/v2',
  'google/storage/v2',
  'google/devtools/containeranalysis/v1beta1',
  'grafeas/v1',
  'google/cloud/aiplatform/v1',
  'google/ads/admanager/v1',
  'google/cloud/securitycenter/v1',
  'google/cloud/dialogflow/cx/v3',
  'google/monitoring/v3',
  'google/spanner/v1'
]
const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm

/** The seed files and, transitively, every corpus file they import. */
async function sampleFiles(): Promise<string[]> {
  const queue = SEEDS.flatMap((seed) => listProtoFiles(path.join(corpus, seed)).map((f) => `${seed}/${f}`))
  const seen = new Set(queue)
  for (let i = 0; i < queue.length; i++) {
    const text = await readFile(path.join(corpus, queue[i]!), 'utf8')
    for (const [, imported] of text.matchAll(IMPORT)) {
      if (!seen.has(imported!) && existsSync(path.join(corpus, imported!))) {
        seen.add(imported!)
        queue.push(imported!)
      }
    }
  }
  return [...seen].sort()
}

describe.skipIf(!corpusPresent || !bufAvailable)('googleapis sample: STANDARD lint equals buf', () => {
  let dir = ''
  let fileCount = 0
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rg-lint-corpus-'))
    const files = await sampleFiles()
    fileCount = files.length
    for (const file of files) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await copyFile(path.join(corpus, file), path.join(dir, file))
    }
    await writeFile(path.join(dir, 'buf.yaml'), 'version: v2\n')
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('same findings, locations and messages', async () => {
    const [expected, ours] = await Promise.all([bufLint(dir), lintWorkspace(dir)])
    expect(fileCount).toBeGreaterThan(500)
    expect(ours.compiled).toBe(true)
    expect(expected.length).toBeGreaterThan(1000)
    const ruleCount = new Set(expected.map((a) => a.type)).size
    console.info(`googleapis sample: ${fileCount} files, ${expected.length} buf findings over ${ruleCount} rules, ${ours.findings.length} ours`)
    expect(ours.findings.map(fromOurs)).toEqual(expected.map(fromBuf))
  }, 120_000)
})

describe.skipIf(!corpusPresent || !bufAvailable || process.env.RELEASE_GATE_FULL_CORPUS !== '1')('googleapis, whole corpus (RELEASE_GATE_FULL_CORPUS=1)', () => {
  it('same findings as buf lint --config {version: v2}', async () => {
    const [expected, ours] = await Promise.all([bufLint(corpus, ['--config', '{"version":"v2"}']), lintWorkspace(corpus, { configOverride: 'version: v2\n' })])
    console.info(`googleapis: ${expected.length} buf findings, ${ours.findings.length} ours`)
    expect(ours.findings.map(fromOurs)).toEqual(expected.map(fromBuf))
  }, 600_000)
})
