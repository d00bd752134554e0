import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as core from '@actions/core'
import { ConfigError } from '../config/load.js'
import { exitCodeFor, EXIT, UsageError } from '../errors.js'
import { execute } from '../pipeline.js'
import { allFindings, countBySeverity, type Report } from '../report/findings.js'
import { annotationCommand, renderAnnotations } from '../report/render/annotations.js'
import { render } from '../report/render/index.js'
import { renderJson } from '../report/render/json.js'
import { renderSummary } from '../report/render/summary.js'
import { renderText } from '../report/render/text.js'
import { githubClient } from '../github/octokit.js'
import { readEventContext } from '../github/context.js'
import { publishReport } from '../github/publish.js'
import { readInputs, type GitHubPublishing } from './inputs.js'

export const STATE_RUN_ID = 'run-id'

/** The action's main step: inputs → the shared core → annotations, summary, JSON report, outputs. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    core.saveState(STATE_RUN_ID, inputs.options.runId)
    const report = await execute(inputs.command, inputs.options)
    await publish(report, inputs.options.format, inputs.reportPath)
    if (inputs.github) await publishToGitHub(report, inputs.github, inputs.options.cwd)
    const code = exitCodeFor(report.verdict, report.dryRun)
    core.setOutput('exit-code', code)
    if (code !== EXIT.pass) core.setFailed(`release-gate: ${report.verdict} — ${report.stages.map((s) => `${s.stage}: ${s.summary}`).join('; ')}`)
  } catch (err) {
    core.setOutput('verdict', 'inconclusive')
    if (err instanceof ConfigError) {
      for (const issue of err.issues)
        process.stdout.write(annotationCommand({ rule: 'CONFIG', stage: 'config', severity: 'error', message: issue.message, path: issue.path, line: issue.line, column: issue.column }) + '\n')
      core.setOutput('exit-code', EXIT.usage)
      core.setFailed(`release-gate: invalid config (${err.issues.length} problem(s), annotated above)`)
    } else if (err instanceof UsageError) {
      core.setOutput('exit-code', EXIT.usage)
      core.setFailed(`release-gate: ${err.message}`)
    } else {
      core.setOutput('exit-code', EXIT.inconclusive)
      core.setFailed(`release-gate: internal error: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}

async function publish(report: Report, format: string, reportPath: string): Promise<void> {
  const findings = allFindings(report)
  // Annotations are workflow commands on stdout; the runner turns them into PR annotations.
  if (format === 'github') {
    process.stdout.write(renderAnnotations(findings))
    core.info(renderText(report, { color: false }))
  } else process.stdout.write(render(report, format as 'text', { color: false }))
  await mkdir(path.dirname(reportPath), { recursive: true })
  await writeFile(reportPath, renderJson(report))
  await core.summary.addRaw(renderSummary(report)).write()
  const counts = countBySeverity(findings)
  core.setOutput('verdict', report.verdict)
  core.setOutput('errors', counts.error)
  core.setOutput('warnings', counts.warning)
  core.setOutput('notices', counts.notice)
  core.setOutput('report', reportPath)
}

/** Check run, sticky comment, commit status: each degrades to a notice on its own, none changes the verdict. */
async function publishToGitHub(report: Report, github: GitHubPublishing, cwd: string): Promise<void> {
  let ctx
  try {
    ctx = readEventContext(process.env)
  } catch (err) {
    core.notice(`release-gate: not publishing to GitHub: ${err instanceof Error ? err.message : String(err)}`)
    return
  }
  const workspace = process.env.GITHUB_WORKSPACE ?? cwd
  const pathPrefix = path.relative(workspace, cwd).split(path.sep).join('/')
  await publishReport(githubClient(github.token), ctx, report, {
    checkRun: github.checkRun,
    checkName: github.checkName,
    comment: github.comment,
    commitStatus: github.commitStatus,
    statusContext: github.checkName,
    ...(pathPrefix ? { pathPrefix } : {})
  })
}
