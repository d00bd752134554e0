/**
 * The rule table equals what `buf config ls-breaking-rules` lists: IDs, categories, default flag,
 * purpose and deprecation, for every config version.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { rulesForVersion, type BufConfigVersion } from '../../../src/contract/breaking.js'
import { breakingRules } from '../../../src/contract/rules/breaking/index.js'
import { BUF, bufAvailable } from './oracle.js'

const run = promisify(execFile)

interface ListedRule {
  id: string
  categories: string[] | null
  default: boolean
  purpose: string
  deprecated: boolean
}

async function bufRules(version: BufConfigVersion, deprecated: boolean): Promise<ListedRule[]> {
  const args = ['config', 'ls-breaking-rules', '--version', version, '--format', 'json', ...(deprecated ? ['--include-deprecated'] : [])]
  const { stdout } = await run(BUF, args)
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ListedRule)
}

describe.skipIf(!bufAvailable)('breaking rule table against buf config ls-breaking-rules', () => {
  it('has buf v2 rules with the same IDs, categories, default flag and purpose, in buf order', async () => {
    const listed = await bufRules('v2', true)
    expect(listed).toHaveLength(65)
    expect(
      breakingRules.map((rule) => ({ id: rule.id, categories: [...rule.categories], default: rule.default, purpose: rule.purpose, deprecated: rule.deprecated === true }))
    ).toEqual(listed.map((rule) => ({ id: rule.id, categories: rule.categories ?? [], default: rule.default, purpose: rule.purpose, deprecated: rule.deprecated })))
  })

  it.each(['v1', 'v1beta1'] as const)('selects the %s rule set with that version’s categories', async (version) => {
    const listed = (await bufRules(version, false)).map((rule) => ({ id: rule.id, categories: rule.categories ?? [], default: rule.default }))
    const ours = rulesForVersion(version).map(({ rule, categories }) => ({ id: rule.id, categories: [...categories], default: rule.default }))
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)
    expect(ours.sort(byId)).toEqual(listed.sort(byId))
  })
})
