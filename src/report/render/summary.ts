import { allFindings, compareFindings, countBySeverity, type Finding, type Report, type Verdict } from '../findings.js'
import { formatLocation } from './text.js'

/** GitHub drops a step summary over 1 MiB entirely; stay well under it. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024

const VERDICT_ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', skipped: '⏭️' }

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')

export interface SummaryOptions {
  /** Links a finding to its line, e.g. https://github.com/o/r/blob/<sha>/<path>#L12. */
  linkFor?: (f: Finding) => string | undefined
  budgetBytes?: number
}

/** Job summary markdown: verdict first, a row per stage, then the findings table within budget. */
export function renderSummary(report: Report, options: SummaryOptions = {}): string {
  const budget = options.budgetBytes ?? SUMMARY_BUDGET_BYTES
  const findings = allFindings(report).sort(compareFindings)
  const counts = countBySeverity(findings)
  const head: string[] = [
    `## ${VERDICT_ICON[report.verdict]} release-gate: ${report.verdict}${report.dryRun ? ' (dry run)' : ''}`,
    '',
    `${counts.error} error(s), ${counts.warning} warning(s), ${counts.notice} notice(s)`,
    '',
    '| stage | verdict | summary |',
    '| --- | --- | --- |',
    ...report.stages.map((s) => `| ${s.stage} | ${VERDICT_ICON[s.verdict]} ${s.verdict} | ${cell(s.summary)} |`),
    ''
  ]
  for (const stage of report.stages) {
    if (stage.details?.length) head.push(`<details><summary>${stage.stage}: ${stage.verdict === 'skipped' && report.dryRun ? 'plan' : 'details'}</summary>`, '', '```text', ...stage.details, '```', '', '</details>', '')
    const chart = stage.evidence?.['summaryMarkdown']
    if (typeof chart === 'string' && chart.length > 0) head.push(`### ${stage.stage}`, '', chart, '')
  }
  if (findings.length === 0) return head.join('\n') + '\n'

  const rows = findings.map((f) => {
    const where = formatLocation(f)
    const link = options.linkFor?.(f)
    const place = where ? (link ? `[${cell(where)}](${link})` : `\`${cell(where)}\``) : ''
    return `| ${f.severity} | \`${cell(f.rule)}\` | ${place} | ${cell(f.message)} |`
  })
  const out = [...head, '### Findings', '', '| severity | rule | location | message |', '| --- | --- | --- | --- |']
  let size = Buffer.byteLength(out.join('\n'))
  let shown = 0
  for (const row of rows) {
    const bytes = Buffer.byteLength(row) + 1
    if (size + bytes > budget - 512) break
    out.push(row)
    size += bytes
    shown++
  }
  if (shown < rows.length) out.push('', `_${rows.length - shown} more finding(s) did not fit in the summary's size limit; the JSON report has all ${rows.length}._`)
  return out.join('\n') + '\n'
}
