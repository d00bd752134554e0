import { allFindings, compareFindings, type Report, type Severity } from '../findings.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' }

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'

/** SARIF 2.1.0 for code scanning upload: one run, rules from the report's rule metadata. */
export function toSarif(report: Report) {
  const findings = allFindings(report).sort(compareFindings)
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort()
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]))
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            semanticVersion: report.tool.version,
            rules: ruleIds.map((id) => {
              const info = report.rules[id]
              return {
                id,
                name: sarifRuleName(id),
                shortDescription: { text: info?.purpose ?? id },
                ...(info?.helpUri ? { helpUri: info.helpUri } : {})
              }
            })
          }
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule)!,
          level: LEVEL[f.severity],
          message: { text: f.help ? `${f.message}\n${f.help}` : f.message },
          ...(f.path
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                      ...(f.line
                        ? {
                            region: {
                              startLine: f.line,
                              ...(f.column ? { startColumn: f.column } : {}),
                              ...(f.endLine ? { endLine: f.endLine } : {}),
                              ...(f.endColumn ? { endColumn: f.endColumn } : {})
                            }
                          }
                        : {})
                    }
                  }
                ]
              }
            : {}),
          properties: { stage: f.stage }
        })),
        invocations: [{ executionSuccessful: true }],
        properties: { verdict: report.verdict }
      }
    ]
  }
}

/** SARIF wants a PascalCase rule name beside the opaque ID. */
function sarifRuleName(id: string): string {
  return id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

export function renderSarif(report: Report): string {
  return JSON.stringify(toSarif(report), null, 2) + '\n'
}
