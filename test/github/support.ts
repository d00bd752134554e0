import type { Finding, Report, Severity, StageResult, Verdict } from '../../src/report/findings.js'
import { githubClient, type GitHubLog } from '../../src/github/octokit.js'
import type { OpenApiServer } from '../infra/github/openapi-server.js'

export const TOKEN = 'ghs_test0123456789abcdefTOKEN'

/** Keeps every line the GitHub layer logs, by level. */
export class RecordingLog implements GitHubLog {
  readonly lines: { level: keyof GitHubLog; message: string }[] = []
  debug = (message: string) => void this.lines.push({ level: 'debug', message })
  info = (message: string) => void this.lines.push({ level: 'info', message })
  notice = (message: string) => void this.lines.push({ level: 'notice', message })
  warning = (message: string) => void this.lines.push({ level: 'warning', message })
  at(level: keyof GitHubLog): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message)
  }
}

/** The real Octokit, pointed at the local server, without write spacing or second-long retry waits. */
export function clientFor(server: OpenApiServer, log: GitHubLog = new RecordingLog()) {
  return githubClient(TOKEN, { baseUrl: server.baseUrl, log, paceWrites: false, msPerRetrySecond: 1, env: {} })
}

const SEVERITIES: Severity[] = ['error', 'warning', 'notice']

/** n contract findings on distinct lines of a few files; every third one spans lines. */
export function manyFindings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    rule: `RULE_${i % 7}`,
    stage: 'contract' as const,
    severity: SEVERITIES[i % 3]!,
    message: `problem ${i}`,
    path: `proto/acme/v${i % 4}/api.proto`,
    line: i + 1,
    column: 3,
    ...(i % 3 === 0 ? { endLine: i + 4, endColumn: 9 } : { endLine: i + 1, endColumn: 12 })
  }))
}

export function reportOf(findings: Finding[], verdict: Verdict = 'fail', extra: Partial<StageResult> = {}, dryRun = false): Report {
  return {
    tool: { name: 'release-gate', version: '0.1.0' },
    verdict,
    dryRun,
    stages: [{ stage: 'contract', verdict, summary: `${findings.length} finding(s)`, findings, ...extra }],
    rules: {}
  }
}
