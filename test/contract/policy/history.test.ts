/**
 * POLICY_DEPRECATE_BEFORE_DELETE and version resolution against real git repositories with
 * release tags: the released contracts are read from git objects at each tag.
 */
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deprecationHistory, policyCompare } from '../../../src/contract/policy/compare.js'
import { resolveVersions } from '../../../src/contract/policy/gate.js'
import { parseVersion, releaseTags } from '../../../src/contract/policy/releases.js'
import { compiled, TestRepo } from './helpers.js'

const MODULE_PATH = 'acme/pet/v1/pet.proto'
const REPO_PATH = `proto/${MODULE_PATH}`

function petProto(options: { deprecated?: string[]; drop?: string[] } = {}): string {
  const fields: [string, string][] = [['string name = 1', 'name'], ['int32 age = 2', 'age'], ['string color = 3', 'color'], ['int32 weight = 4', 'weight']]
  const values: [string, string][] = [['KIND_UNSPECIFIED = 0', 'KIND_UNSPECIFIED'], ['KIND_DOG = 1', 'KIND_DOG'], ['KIND_CAT = 2', 'KIND_CAT'], ['KIND_BIRD = 3', 'KIND_BIRD']]
  const line = ([decl, name]: [string, string]) =>
    options.drop?.includes(name) ? '' : `  ${decl}${options.deprecated?.includes(name) ? ' [deprecated = true]' : ''};\n`
  return `syntax = "proto3";\npackage acme.pet.v1;\nmessage Pet {\n${fields.map(line).join('')}}\nenum Kind {\n${values.map(line).join('')}}\n`
}

describe('POLICY_DEPRECATE_BEFORE_DELETE with release tags', () => {
  const repo = new TestRepo()
  const v2Text = petProto({ deprecated: ['color', 'KIND_CAT', 'age'] })
  const head = compiled({ [MODULE_PATH]: petProto({ deprecated: [], drop: ['color', 'age', 'weight', 'KIND_CAT', 'KIND_BIRD'] }) })
  const base = compiled({ [MODULE_PATH]: v2Text })

  beforeAll(() => {
    repo.release('v1.0.0', { [REPO_PATH]: petProto() })
    repo.release('v1.1.0', { [REPO_PATH]: petProto({ deprecated: ['color', 'KIND_CAT'] }) })
    repo.release('v2.0.0', { [REPO_PATH]: v2Text })
    repo.commit({ 'README.md': 'not a release\n' }, 'docs')
    repo.git('tag', 'v3.0.0-rc.1')
    repo.git('tag', 'vnext')
  })
  afterAll(() => rmSync(repo.dir, { recursive: true, force: true }))

  async function run(options: { majorsBefore?: number; targetVersion?: string } = {}) {
    const targetVersion = options.targetVersion ? parseVersion(options.targetVersion) : undefined
    const history = await deprecationHistory({
      repo: repo.dir,
      dir: 'proto',
      head,
      base,
      ...(options.majorsBefore !== undefined ? { majorsBefore: options.majorsBefore } : {}),
      ...(targetVersion ? { targetVersion } : {})
    })
    return { history, findings: policyCompare({ head, base, history }, { use: ['POLICY_DEPRECATE_BEFORE_DELETE'] }) }
  }

  it('lists semver release tags oldest first, leaving out pre-releases and other tags', async () => {
    expect((await releaseTags({ repo: repo.dir })).map((release) => release.tag)).toEqual(['v1.0.0', 'v1.1.0', 'v2.0.0'])
  })

  it('by default (2 majors) only a deprecation in v1.x allows deleting in v3, and the message names the tag', async () => {
    const { history, findings } = await run()
    expect(history.targetMajor).toBe(3)
    expect(history.eligible.map((contract) => contract.release.tag)).toEqual(['v1.1.0', 'v1.0.0'])
    // color and KIND_CAT were deprecated in v1.1.0; age only in v2.0.0; weight and KIND_BIRD never.
    expect(findings.map((finding) => finding.message)).toEqual([
      'Field "age" (2) of message "acme.pet.v1.Pet" was deleted in v3 (the next major after v2.0.0, which a deletion needs) without being deprecated 2 major versions earlier: it should have been marked `deprecated = true` in v1.1.0 (or another v1.x or earlier release).',
      'Field "weight" (4) of message "acme.pet.v1.Pet" was deleted in v3 (the next major after v2.0.0, which a deletion needs) without being deprecated 2 major versions earlier: it should have been marked `deprecated = true` in v1.1.0 (or another v1.x or earlier release).',
      'Enum value "KIND_BIRD" (3) of enum "acme.pet.v1.Kind" was deleted in v3 (the next major after v2.0.0, which a deletion needs) without being deprecated 2 major versions earlier: it should have been marked `deprecated = true` in v1.1.0 (or another v1.x or earlier release).'
    ])
    expect(findings.map((finding) => [finding.path, finding.line])).toEqual([[MODULE_PATH, 3], [MODULE_PATH, 3], [MODULE_PATH, 6]])
  })

  it('with majorsBefore 1 the v2.0.0 deprecation of age counts', async () => {
    const { findings } = await run({ majorsBefore: 1 })
    expect(findings.map((finding) => finding.message.slice(0, finding.message.indexOf(' was deleted')))).toEqual([
      'Field "weight" (4) of message "acme.pet.v1.Pet"',
      'Enum value "KIND_BIRD" (3) of enum "acme.pet.v1.Kind"'
    ])
    expect(findings[0]!.message).toContain('in v2.0.0 (or another v2.x or earlier release)')
  })

  it('a declared target version moves the deadline', async () => {
    const { history, findings } = await run({ targetVersion: 'v4.0.0' })
    expect(history.targetMajor).toBe(4)
    expect(history.eligible.map((contract) => contract.release.tag)).toEqual(['v2.0.0', 'v1.1.0', 'v1.0.0'])
    expect(findings).toHaveLength(2)
    expect(findings[0]!.message).toContain('(the declared version 4.0.0)')
  })

  it('says when no release is old enough yet', async () => {
    const { findings } = await run({ targetVersion: '2.0.0' })
    expect(findings[0]!.message).toContain('no release of major 0 or earlier exists (latest: 2.0.0), so deprecate it now and delete it in v4.0.0 at the earliest')
  })

  it('reads nothing from git when nothing was deleted', async () => {
    const history = await deprecationHistory({ repo: repo.dir, dir: 'proto', head: base, base })
    expect(history.eligible).toEqual([])
    expect(policyCompare({ head: base, base, history })).toEqual([])
  })
})

describe('resolveVersions', () => {
  const repo = new TestRepo()
  const v1 = compiled({ [MODULE_PATH]: petProto() })
  beforeAll(() => {
    repo.release('v1.2.0', { [REPO_PATH]: petProto() })
    repo.git('checkout', '-q', '-b', 'feature')
    repo.commit({ [REPO_PATH]: petProto({ drop: ['weight'] }) }, 'drop weight')
  })
  afterAll(() => rmSync(repo.dir, { recursive: true, force: true }))

  it('base from the newest release tag of the base ref; no head version means no bump', async () => {
    const versions = await resolveVersions({ repo: repo.dir, baseRef: 'main', head: v1, base: v1 })
    expect(versions).toEqual({ base: { version: { major: 1, minor: 2, patch: 0 }, source: 'tag v1.2.0' }, majorBump: false })
  })

  it('a release tag on the head commit is the head version', async () => {
    repo.git('tag', 'v2.0.0')
    try {
      const versions = await resolveVersions({ repo: repo.dir, baseRef: 'main', head: v1, base: v1 })
      expect(versions.head).toEqual({ version: { major: 2, minor: 0, patch: 0 }, source: 'tag v2.0.0' })
      expect(versions.majorBump).toBe(true)
    } finally {
      repo.git('tag', '-d', 'v2.0.0')
    }
  })

  it('a package with a higher vN suffix is a major bump; a declared version wins', async () => {
    const v2 = compiled({ 'acme/pet/v2/pet.proto': petProto().replace('acme.pet.v1', 'acme.pet.v2') })
    expect(await resolveVersions({ repo: repo.dir, baseRef: 'main', head: v2, base: v1 })).toMatchObject({ head: { source: 'package acme.pet.v2' }, majorBump: true })
    expect(await resolveVersions({ repo: repo.dir, baseRef: 'main', head: v2, base: v1, declared: parseVersion('1.3.0')! })).toMatchObject({ head: { source: 'config' }, majorBump: false })
  })
})
