/** Rule ID → number of findings, from buf's `--error-format json` (one JSON object per line). */
export function bufRuleCounts(output: string): Map<string, number> {
  const counts = new Map<string, number>()
  output.split('\n').forEach((line, index) => {
    if (!line.trim()) return
    let finding: { type?: unknown }
    try {
      finding = JSON.parse(line) as { type?: unknown }
    } catch {
      throw new Error(`buf output line ${index + 1}: expected a JSON object, got ${JSON.stringify(line.slice(0, 80))}`)
    }
    if (typeof finding.type !== 'string') throw new Error(`buf output line ${index + 1}: no "type" (rule ID)`)
    counts.set(finding.type, (counts.get(finding.type) ?? 0) + 1)
  })
  return counts
}

/** Rule ID → number of findings, from release-gate's `--format json` report. */
export function oursRuleCounts(output: string): Map<string, number> {
  const report = JSON.parse(output) as { findings?: { rule?: unknown }[] }
  if (!Array.isArray(report.findings)) throw new Error('release-gate JSON report: no "findings" array')
  const counts = new Map<string, number>()
  for (const finding of report.findings) {
    const rule = typeof finding.rule === 'string' ? finding.rule : '(no rule)'
    counts.set(rule, (counts.get(rule) ?? 0) + 1)
  }
  return counts
}

/** "RULE buf N ours M" for every rule whose counts differ, sorted by rule ID. */
export function compareRuleCounts(buf: Map<string, number>, ours: Map<string, number>): string[] {
  const rules = [...new Set([...buf.keys(), ...ours.keys()])].sort()
  return rules.filter((rule) => buf.get(rule) !== ours.get(rule)).map((rule) => `${rule} buf ${buf.get(rule) ?? 0} ours ${ours.get(rule) ?? 0}`)
}
