import { compareFindings, type Report, type StageResult } from '../findings.js'
import { formatLocation } from './text.js'

const xml = (s: string) =>
  s
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

/**
 * JUnit XML for Jenkins and GitLab: a suite per stage; each error finding is a failed test case,
 * warnings and notices pass with their text in system-out, and the stage verdict is a test case of
 * its own (inconclusive is an <error>, a skipped stage is <skipped>).
 */
export function renderJunit(report: Report): string {
  const suites = report.stages.map(renderSuite)
  const total = report.stages.reduce(
    (acc, s) => {
      const c = suiteCounts(s)
      return { tests: acc.tests + c.tests, failures: acc.failures + c.failures, errors: acc.errors + c.errors, skipped: acc.skipped + c.skipped }
    },
    { tests: 0, failures: 0, errors: 0, skipped: 0 }
  )
  const time = seconds(report.stages.reduce((t, s) => t + (s.durationMs ?? 0), 0))
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="release-gate" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${time}">`,
    ...suites,
    '</testsuites>',
    ''
  ].join('\n')
}

function suiteCounts(stage: StageResult) {
  const failures = stage.findings.filter((f) => f.severity === 'error').length + (stage.verdict === 'fail' ? 1 : 0)
  return {
    tests: stage.findings.length + 1,
    failures,
    errors: stage.verdict === 'inconclusive' ? 1 : 0,
    skipped: stage.verdict === 'skipped' ? 1 : 0
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

function renderSuite(stage: StageResult): string {
  const c = suiteCounts(stage)
  const cases: string[] = []
  const verdictCase = `    <testcase classname="release-gate.${stage.stage}" name="verdict" time="${seconds(stage.durationMs ?? 0)}">`
  const summary = xml(stage.summary)
  if (stage.verdict === 'fail') cases.push(`${verdictCase}\n      <failure message="${summary}" type="fail">${summary}</failure>\n    </testcase>`)
  else if (stage.verdict === 'inconclusive')
    cases.push(`${verdictCase}\n      <error message="${summary}" type="inconclusive">${summary}</error>\n    </testcase>`)
  else if (stage.verdict === 'skipped') cases.push(`${verdictCase}\n      <skipped message="${summary}"/>\n    </testcase>`)
  else cases.push(`${verdictCase}\n      <system-out>${summary}</system-out>\n    </testcase>`)

  for (const f of [...stage.findings].sort(compareFindings)) {
    const where = formatLocation(f)
    const name = xml(`${f.rule}${where ? ` ${where}` : ''}`)
    const classname = xml(f.path ? `release-gate.${stage.stage}.${f.path}` : `release-gate.${stage.stage}`)
    const body = xml(`${where ? `${where}: ` : ''}${f.message}${f.help ? `\n${f.help}` : ''}`)
    const open = `    <testcase classname="${classname}" name="${name}" time="0">`
    if (f.severity === 'error') cases.push(`${open}\n      <failure message="${xml(f.message)}" type="${xml(f.rule)}">${body}</failure>\n    </testcase>`)
    else cases.push(`${open}\n      <system-out>${xml(f.severity)}: ${body}</system-out>\n    </testcase>`)
  }
  return [
    `  <testsuite name="release-gate.${stage.stage}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(stage.durationMs ?? 0)}">`,
    ...cases,
    '  </testsuite>'
  ].join('\n')
}
