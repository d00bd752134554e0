/**
 * Hand-written case pairs (test/contract/testdata/breaking/<case>/{base,head}, config in
 * head/buf.yaml): release-gate and buf must print the same findings — rule, path, start, end
 * and message — in the same order.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { breakingRules } from '../../../src/contract/rules/breaking/index.js'
import { bufAvailable, bufBreaking, limited, optionsFromBufYaml, oursBreaking, repoRoot, type BufLine } from './oracle.js'

const casesDir = path.join(repoRoot, 'test/contract/testdata/breaking')
const cases = readdirSync(casesDir).sort()

if (!bufAvailable) console.warn('buf binary not installed: skipping the breaking differential cases')

describe.skipIf(!bufAvailable)('breaking cases against buf', () => {
  const results = new Map<string, { buf: BufLine[]; ours: BufLine[] }>()

  beforeAll(async () => {
    await limited(
      3,
      cases.map((name) => async () => {
        const head = path.join(casesDir, name, 'head')
        const base = path.join(casesDir, name, 'base')
        const [buf, ours] = await Promise.all([bufBreaking(head, base), oursBreaking(head, base, await optionsFromBufYaml(head))])
        results.set(name, { buf, ours })
      })
    )
  })

  it.each(cases)('%s', (name) => {
    const { buf, ours } = results.get(name)!
    expect(ours).toEqual(buf)
  })

  it('makes buf report every non-deprecated rule in some case', () => {
    const reported = new Set([...results.values()].flatMap(({ buf }) => buf.map((line) => line.type)))
    const missing = breakingRules.filter((rule) => !rule.deprecated && !reported.has(rule.id)).map((rule) => rule.id)
    expect(missing).toEqual([])
  })

  it('reports nothing for additions (fields, messages, rpcs, enum values, files, comments)', () => {
    expect(results.get('additions_only')).toEqual({ buf: [], ours: [] })
  })
})
