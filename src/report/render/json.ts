import { allFindings, compareFindings, countBySeverity, type Report } from '../findings.js'

/**
 * The machine-readable report. The finding keys (rule, path, line, column, endLine, endColumn,
 * severity, message) are a public contract: external tools read them.
 */
export function toJsonReport(report: Report) {
  const findings = allFindings(report).sort(compareFindings)
  return {
    tool: report.tool,
    verdict: report.verdict,
    dryRun: report.dryRun,
    counts: countBySeverity(findings),
    findings: findings.map((f) => ({
      rule: f.rule,
      stage: f.stage,
      severity: f.severity,
      message: f.message,
      path: f.path,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      help: f.help
    })),
    stages: report.stages.map((s) => ({
      stage: s.stage,
      verdict: s.verdict,
      summary: s.summary,
      durationMs: s.durationMs,
      findings: s.findings.length,
      evidence: s.evidence ?? {}
    })),
    rules: report.rules
  }
}

export function renderJson(report: Report): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n'
}
