import { allFindings, compareFindings, countBySeverity, type Finding, type Report, type Severity, type Verdict } from '../findings.js'

const CODES = { red: 31, yellow: 33, cyan: 36, green: 32, grey: 90, bold: 1 } as const
type Style = keyof typeof CODES

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text)
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', notice: 'cyan' }
const VERDICT_STYLE: Record<Verdict, Style> = { pass: 'green', fail: 'red', inconclusive: 'yellow', skipped: 'grey' }

export function formatLocation(f: Finding): string {
  if (!f.path) return ''
  return f.line ? `${f.path}:${f.line}:${f.column ?? 1}` : f.path
}

/** Compiler-style lines (path:line:col: severity RULE message) that editors and terminals link. */
export function renderText(report: Report, options: { color: boolean }): string {
  const paint = painter(options.color)
  const out: string[] = []
  for (const f of allFindings(report).sort(compareFindings)) {
    const where = formatLocation(f)
    out.push(`${where ? `${where}: ` : ''}${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint('bold', f.rule)} ${f.message}`)
    if (f.help) out.push(`  ${paint('grey', `help: ${f.help}`)}`)
  }
  if (out.length > 0) out.push('')
  for (const stage of report.stages) {
    const verdict = paint(VERDICT_STYLE[stage.verdict], stage.verdict.toUpperCase().padEnd(12))
    out.push(`${stage.stage.padEnd(9)} ${verdict} ${stage.summary}`)
    for (const line of stage.details ?? []) out.push(`          ${paint('grey', '│')} ${line}`)
  }
  const counts = countBySeverity(allFindings(report))
  const tally = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.notice} notice(s)`
  out.push(`${paint('bold', 'verdict')}   ${paint(VERDICT_STYLE[report.verdict], report.verdict.toUpperCase())}${report.dryRun ? ' (dry run)' : ''} — ${tally}`)
  return out.join('\n') + '\n'
}

/** Colour only where a person reads it: a TTY, unless NO_COLOR; FORCE_COLOR wins. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  if (env.NO_COLOR !== undefined) return false
  return stream.isTTY === true
}
