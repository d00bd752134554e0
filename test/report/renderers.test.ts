import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import AjvModule from 'ajv-draft-04'
import { describe, expect, it } from 'vitest'
import { worstVerdict } from '../../src/report/findings.js'
import { ANNOTATIONS_PER_LEVEL, annotationCommand, renderAnnotations } from '../../src/report/render/annotations.js'
import { toJsonReport } from '../../src/report/render/json.js'
import { renderJunit } from '../../src/report/render/junit.js'
import { toSarif } from '../../src/report/render/sarif.js'
import { renderSummary } from '../../src/report/render/summary.js'
import { renderText } from '../../src/report/render/text.js'
import { finding, sampleReport } from './sample.js'

const require = createRequire(import.meta.url)

describe('verdicts', () => {
  it('the worst verdict decides, and all-skipped stays skipped', () => {
    expect(worstVerdict(['pass', 'inconclusive', 'pass'])).toBe('inconclusive')
    expect(worstVerdict(['inconclusive', 'fail'])).toBe('fail')
    expect(worstVerdict(['skipped', 'pass'])).toBe('pass')
    expect(worstVerdict(['skipped'])).toBe('skipped')
  })
})

describe('json', () => {
  it('keeps the public key names and every location field', () => {
    const json = toJsonReport(sampleReport())
    expect(json.verdict).toBe('fail')
    expect(json.counts).toEqual({ error: 2, warning: 1, notice: 1 })
    const first = json.findings.find((f) => f.rule === 'FIELD_NO_DELETE')!
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['rule', 'path', 'line', 'column', 'endLine', 'endColumn', 'severity', 'message']))
    expect(first).toMatchObject({ rule: 'FIELD_NO_DELETE', path: 'proto/acme/pet/v1/pet.proto', line: 12, column: 1, endLine: 17, endColumn: 2, severity: 'error' })
    // Errors first, then warnings, then notices.
    expect(json.findings.map((f) => f.severity)).toEqual(['error', 'error', 'warning', 'notice'])
  })
})

describe('github annotations', () => {
  it('escapes data and properties the way the runner decodes them and titles with the rule ID', () => {
    const line = annotationCommand(finding({ path: 'a,b:c.proto', message: '100% broken\nsecond line', rule: 'R,1' }))
    expect(line).toBe('::error file=a%2Cb%3Ac.proto,line=12,endLine=17,title=R%2C1::100%25 broken%0Asecond line')
  })
  it('keeps columns on a one-line span only', () => {
    expect(annotationCommand(finding({ line: 3, endLine: 3, column: 5, endColumn: 9 }))).toContain('line=3,endLine=3,col=5,endColumn=9,')
    expect(annotationCommand(finding())).not.toContain('col=')
  })
  it('shows at most 10 per level, ranks changed lines first and says how many more', () => {
    const many = Array.from({ length: 25 }, (_, i) => finding({ line: i + 1, endLine: i + 1, message: `m${i}` }))
    const out = renderAnnotations(many, { isChanged: (f) => f.line === 25 }).trim().split('\n')
    expect(out).toHaveLength(ANNOTATIONS_PER_LEVEL)
    expect(out[0]).toContain('line=25,')
    expect(out.at(-1)).toContain('16 more errors not annotated here')
    expect(renderAnnotations(many.slice(0, 10)).trim().split('\n')).toHaveLength(10)
  })
})

describe('text', () => {
  it('prints compiler-style locations and colours only when asked', () => {
    const plain = renderText(sampleReport(), { color: false })
    expect(plain).toContain('proto/acme/pet/v1/pet.proto:12:1: error FIELD_NO_DELETE Previously present field')
    expect(plain).not.toContain('\u001b[')
    expect(renderText(sampleReport(), { color: true })).toContain('\u001b[31merror\u001b[0m')
  })
})

describe('job summary', () => {
  it('has the verdict, a row per stage and escapes table cells', () => {
    const md = renderSummary(sampleReport())
    expect(md).toMatch(/^## ❌ release-gate: fail/)
    expect(md).toContain('| gates | ⚠️ inconclusive | p99: no data <for> 3 intervals & "error-rate" passed |')
    expect(md).toContain('| error | `FIELD_NO_DELETE` | `proto/acme/pet/v1/pet.proto:12:1` |')
  })
  it('stays under its byte budget and says how many findings it left out', () => {
    const report = sampleReport()
    report.stages[0]!.findings = Array.from({ length: 5000 }, (_, i) => finding({ line: i + 1, message: 'x'.repeat(200) }))
    const md = renderSummary(report, { budgetBytes: 64 * 1024 })
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024)
    expect(md).toMatch(/_\d+ more finding\(s\) did not fit in the summary's size limit; the JSON report has all 5001\._/)
  })
})

describe('sarif', () => {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'))
  const Ajv = AjvModule.default
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema)

  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    const sarif = toSarif(sampleReport())
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true)
    const run = sarif.runs[0]!
    expect(run.results.map((r) => r.ruleId)).toEqual(['PACKAGE_NO_DELETE', 'FIELD_NO_DELETE', 'ENUM_ZERO_VALUE_SUFFIX', 'gate:p99'])
    const located = run.results[1]!
    expect(located.locations![0]!.physicalLocation.region).toEqual({ startLine: 12, startColumn: 1, endLine: 17, endColumn: 2 })
    expect(run.tool.driver.rules[located.ruleIndex]!.id).toBe('FIELD_NO_DELETE')
    expect(run.results[0]!.locations).toBeUndefined()
  })
  it('the schema check can fail: an unknown level is rejected', () => {
    const sarif = toSarif(sampleReport()) as { runs: { results: { level: string }[] }[] }
    sarif.runs[0]!.results[0]!.level = 'fatal'
    expect(validate(sarif)).toBe(false)
  })
})

describe('junit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-junit-'))
  const xpath = (file: string, expr: string) => execFileSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' }).trim()

  it('is well-formed XML whose counts agree with its test cases', () => {
    const file = path.join(dir, 'report.xml')
    writeFileSync(file, renderJunit(sampleReport()))
    execFileSync('xmllint', ['--noout', file])
    expect(xpath(file, 'string(/testsuites/@tests)')).toBe(xpath(file, 'count(//testcase)'))
    expect(xpath(file, 'string(/testsuites/@failures)')).toBe(xpath(file, 'count(//testcase/failure)'))
    expect(xpath(file, 'string(/testsuites/@errors)')).toBe(xpath(file, 'count(//testcase/error)'))
    expect(xpath(file, 'string(/testsuites/@skipped)')).toBe(xpath(file, 'count(//testcase/skipped)'))
    for (const suite of ['contract', 'gates', 'rollout'])
      expect(xpath(file, `string(//testsuite[@name="release-gate.${suite}"]/@tests)`)).toBe(xpath(file, `count(//testsuite[@name="release-gate.${suite}"]/testcase)`))
    expect(xpath(file, 'string(//testcase[failure/@type="FIELD_NO_DELETE"]/@name)')).toBe('FIELD_NO_DELETE proto/acme/pet/v1/pet.proto:12:1')
  })
  it('escapes markup and drops characters XML cannot carry', () => {
    const report = sampleReport()
    report.stages[0]!.findings = [finding({ message: 'a <b> & "c" \u0007 end' })]
    const file = path.join(dir, 'escaped.xml')
    writeFileSync(file, renderJunit(report))
    execFileSync('xmllint', ['--noout', file])
    expect(xpath(file, 'string(//testcase[failure/@type="FIELD_NO_DELETE"]/failure/@message)')).toBe('a <b> & "c"  end')
  })
})
