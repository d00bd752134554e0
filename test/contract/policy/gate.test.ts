import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../../src/report/findings.js'
import { allowCommentFor, DEFAULT_APPROVAL_LABEL, labelsFromEvent, readEventLabels, semverGate, type Versions } from '../../../src/contract/policy/gate.js'

const FILE = 'proto/acme/library/v1/library.proto'
const text = [
  'service LibraryService {', //                                                    1
  '  rpc GetShelf(GetShelfRequest) returns (Shelf) {', //                           2
  '    // release-gate:allow HTTP_SAME_PATH racks replace shelves, announced in #42', // 3
  '    option (google.api.http) = {get: "/v1/{name=racks/*}"};', //                4
  '  }', //                                                                       5
  '}', //                                                                         6
  'message Shelf {', //                                                           7
  '  string topic = 2; // release-gate:allow FIELD_SAME_NAME', //                  8
  '}'
].join('\n')

const finding = (rule: string, line: number, message = `${rule} happened.`): Finding => ({ rule, stage: 'contract', severity: 'error', message, path: FILE, line, column: 5 })
const v1 = { version: { major: 1, minor: 4, patch: 0 }, source: 'tag v1.4.0' }
const noBump: Versions = { base: v1, majorBump: false }
const bump: Versions = { base: v1, head: { version: { major: 2, minor: 0, patch: 0 }, source: 'tag v2.0.0' }, majorBump: true }

describe('semverGate', () => {
  it('blocks an unapproved breaking change without a major bump and adds its impact as help', () => {
    const result = semverGate({ findings: [finding('FIELD_NO_DELETE', 7)], versions: noBump, labels: [] })
    expect(result.blocking).toBe(true)
    expect(result.findings[0]).toMatchObject({ severity: 'error', message: 'FIELD_NO_DELETE happened.' })
    expect(result.findings[0]!.help).toMatch(/^gRPC wire: warning · generated code: breaking · REST\/JSON: breaking/)
    expect(result.summary).toBe(
      `1 of 1 breaking change not allowed: bump the major version, add the "${DEFAULT_APPROVAL_LABEL}" label, or add "// release-gate:allow RULE reason" (1.4.0 (tag v1.4.0) → no new version)`
    )
  })

  it('a release-gate:allow comment above the finding approves that rule only, echoing the reason', () => {
    const result = semverGate({ findings: [finding('HTTP_SAME_PATH', 4), finding('HTTP_SAME_METHOD', 4)], versions: noBump, labels: [], readText: (p) => (p === FILE ? text : undefined) })
    expect(result.findings[0]).toMatchObject({ severity: 'notice', message: 'HTTP_SAME_PATH happened. [allowed: release-gate:allow on line 3: racks replace shelves, announced in #42]' })
    expect(result.findings[1]!.severity).toBe('error')
    expect(result.blocking).toBe(true)
    expect(result.details).toEqual([`HTTP_SAME_PATH ${FILE}:4: allowed by release-gate:allow on line 3: racks replace shelves, announced in #42`, `HTTP_SAME_METHOD ${FILE}:4: BLOCKING`])
  })

  it('an allow comment without a reason does not approve', () => {
    expect(allowCommentFor(text, 8, 'FIELD_SAME_NAME')).toBeUndefined()
    expect(allowCommentFor(text, 4, 'HTTP_SAME_PATH')).toEqual({ rule: 'HTTP_SAME_PATH', reason: 'racks replace shelves, announced in #42', line: 3 })
    expect(allowCommentFor(text, 2, 'HTTP_SAME_PATH')).toBeUndefined()
  })

  it('the approval label turns every breaking finding into a notice', () => {
    const result = semverGate({ findings: [finding('RPC_NO_DELETE', 1), finding('POLICY_RESERVED_REUSE', 8)], versions: noBump, labels: ['docs', DEFAULT_APPROVAL_LABEL] })
    expect(result.blocking).toBe(false)
    expect(result.findings.map((f) => f.severity)).toEqual(['notice', 'notice'])
    expect(result.findings[0]!.message).toContain(`[allowed: pull request label "${DEFAULT_APPROVAL_LABEL}"]`)
    expect(result.summary).toBe('2 breaking changes allowed (1.4.0 (tag v1.4.0) → no new version)')
  })

  it('a custom label name is honoured and the default one is then not', () => {
    expect(semverGate({ findings: [finding('RPC_NO_DELETE', 1)], versions: noBump, labels: [DEFAULT_APPROVAL_LABEL], approvalLabel: 'api-break-ok' }).blocking).toBe(true)
    expect(semverGate({ findings: [finding('RPC_NO_DELETE', 1)], versions: noBump, labels: ['api-break-ok'], approvalLabel: 'api-break-ok' }).blocking).toBe(false)
  })

  it('a major bump allows breaking rules but not POLICY rules', () => {
    const result = semverGate({ findings: [finding('FIELD_SAME_TYPE', 8), finding('POLICY_RESERVED_REUSE', 8)], versions: bump, labels: [] })
    expect(result.findings[0]).toMatchObject({ severity: 'notice', message: 'FIELD_SAME_TYPE happened. [allowed: major version bump 1.4.0 → 2.0.0 (tag v2.0.0)]' })
    expect(result.findings[1]!.severity).toBe('error')
    expect(result.blocking).toBe(true)
  })

  it('passes warnings and notices through untouched, and reports no breaking changes', () => {
    const lint: Finding = { rule: 'FIELD_LOWER_SNAKE_CASE', stage: 'contract', severity: 'warning', message: 'x' }
    const result = semverGate({ findings: [lint], versions: noBump, labels: [] })
    expect(result.findings).toEqual([lint])
    expect(result.blocking).toBe(false)
    expect(result.summary).toBe('no breaking changes (1.4.0 (tag v1.4.0) → no new version)')
  })

  it('uses impact details for a rename that keeps its JSON name', () => {
    const result = semverGate({ findings: [finding('FIELD_SAME_NAME', 8)], versions: noBump, labels: [], details: () => ({ jsonNameKept: true }) })
    expect(result.gated[0]!.impact.rest).toBe('safe')
    expect(result.findings[0]!.help).toContain('REST/JSON: safe')
  })
})

describe('PR labels from the GitHub event payload', () => {
  it('reads pull_request.labels[].name and nothing from other events', () => {
    expect(labelsFromEvent({ pull_request: { labels: [{ name: 'a' }, { name: DEFAULT_APPROVAL_LABEL }, { id: 3 }] } })).toEqual(['a', DEFAULT_APPROVAL_LABEL])
    expect(labelsFromEvent({ push: {} })).toEqual([])
    expect(labelsFromEvent(null)).toEqual([])
  })

  it('reads the event file, treats a missing one as no labels, and names a broken one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gate-event-'))
    try {
      const event = path.join(dir, 'event.json')
      writeFileSync(event, JSON.stringify({ pull_request: { labels: [{ name: DEFAULT_APPROVAL_LABEL }] } }))
      expect(await readEventLabels(event)).toEqual([DEFAULT_APPROVAL_LABEL])
      expect(await readEventLabels(path.join(dir, 'missing.json'))).toEqual([])
      writeFileSync(event, '{not json')
      await expect(readEventLabels(event)).rejects.toThrow(/event.json: the GitHub event payload is not valid JSON/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
