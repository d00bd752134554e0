/**
 * The wiring the contract stage does, end to end: a git repository with a release tag, the
 * base read from git objects, head from the working tree, buf's breaking compare, then REST,
 * POLICY and the semver gate.
 */
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Finding } from '../../../src/report/findings.js'
import { checkContractEvolution } from '../../../src/contract/policy/evolution.js'
import { compareTrees, directoryTree, gitTree } from '../../../src/contract/source/index.js'
import { edited, exampleRoot, libraryText, moduleWith } from '../rest/fixture.js'
import { TestRepo } from './helpers.js'

const LIB = 'acme/library/v1/library.proto'

describe('checkContractEvolution', () => {
  const repo = new TestRepo()
  beforeAll(() => {
    const files: Record<string, string> = {}
    for (const [modulePath, text] of moduleWith(libraryText)) files[`proto/${modulePath}`] = text
    repo.release('v1.0.0', files)
  })
  afterAll(() => rmSync(repo.dir, { recursive: true, force: true }))

  async function run(headText: string, labels: string[] = []) {
    writeFileSync(path.join(repo.dir, 'proto', LIB), headText)
    const head = directoryTree(path.join(repo.dir, 'proto'))
    const base = await gitTree({ repo: repo.dir, ref: 'main', dir: 'proto' })
    const displayPath = (modulePath: string) => `proto/${modulePath}`
    try {
      const breaking = await compareTrees(head, base, { displayPath })
      const breakingFindings: Finding[] = breaking.findings.map((f) => ({ rule: f.rule, stage: 'contract', severity: 'error', message: f.message, ...(f.path ? { path: f.path, line: f.line, column: f.column } : {}) }))
      return await checkContractEvolution({ head, base, breakingFindings, displayPath, git: { repo: repo.dir, dir: 'proto', baseRef: 'main' }, labels })
    } finally {
      await Promise.all([head.close(), base.close()])
    }
  }

  it('reports a REST path change buf misses, blocks it, and names the base version', async () => {
    const result = await run(edited(['get: "/v1/{name=shelves/*}"', 'get: "/v1/{name=racks/*}"']))
    expect(result.findings.map((f) => [f.rule, f.severity, f.path, f.line])).toEqual([['HTTP_SAME_PATH', 'error', `proto/${LIB}`, 10]])
    expect(result.findings[0]!.help).toContain('REST/JSON: breaking')
    expect(result.blocking).toBe(true)
    expect(result.evidence.versions.base).toEqual({ version: { major: 1, minor: 0, patch: 0 }, source: 'tag v1.0.0' })
    // The working tree sits on the tagged release commit: that tag is the base, not a head version.
    expect(result.evidence.versions.head).toBeUndefined()
  })

  it('an allow comment in the proto approves it with its reason', async () => {
    const result = await run(edited(['    option (google.api.http) = {get: "/v1/{name=shelves/*}"};', '    // release-gate:allow HTTP_SAME_PATH shelves are racks now\n    option (google.api.http) = {get: "/v1/{name=racks/*}"};']))
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['HTTP_SAME_PATH', 'notice']])
    expect(result.findings[0]!.message).toMatch(/\[allowed: release-gate:allow on line 10: shelves are racks now\]$/)
    expect(result.blocking).toBe(false)
  })

  it('a field rename: buf findings gated with per-protocol impact, json_name keeps REST safe', async () => {
    const renamed = await run(edited(['string theme = 2;', 'string topic = 2;']))
    const rename = renamed.findings.find((f) => f.rule === 'FIELD_SAME_NAME')!
    expect(rename.help).toContain('gRPC wire: safe · generated code: breaking · REST/JSON: breaking')
    expect(rename.help).toContain('add [json_name = "theme"]')
    expect(renamed.findings.map((f) => f.rule)).toContain('FIELD_SAME_JSON_NAME')

    const kept = await run(edited(['string theme = 2;', 'string topic = 2 [json_name = "theme"];']), ['breaking-change-approved'])
    expect(kept.findings.map((f) => [f.rule, f.severity])).toEqual([['FIELD_SAME_NAME', 'notice']])
    expect(kept.findings[0]!.help).toContain('REST/JSON: safe')
    expect(kept.blocking).toBe(false)
  })

  it('a deleted field that was never deprecated is a POLICY finding naming the missing release', async () => {
    const result = await run(edited(['  string theme = 2;\n', '  reserved 2;\n  reserved "theme";\n']))
    const policy = result.findings.find((f) => f.rule === 'POLICY_DEPRECATE_BEFORE_DELETE')!
    expect(policy.message).toContain('Field "theme" (2) of message "acme.library.v1.Shelf" was deleted in v2')
    expect(policy.message).toContain('no release of major 0 or earlier exists (latest: 1.0.0)')
    expect(result.blocking).toBe(true)
  })

  it('with a directory base, says the release-based checks did not run', async () => {
    const head = directoryTree(path.join(repo.dir, 'proto'))
    const base = directoryTree(exampleRoot)
    writeFileSync(path.join(repo.dir, 'proto', LIB), edited(['string theme = 2;\n', '']))
    try {
      const result = await checkContractEvolution({ head, base, breakingFindings: [], displayPath: (p) => p, labels: [] })
      expect(result.details[0]).toBe('POLICY_DEPRECATE_BEFORE_DELETE and the version check were not run: the base is not a git ref, so there are no release tags to read')
      expect(result.findings.map((f) => f.rule)).toEqual([])
    } finally {
      await Promise.all([head.close(), base.close()])
    }
  })
})
