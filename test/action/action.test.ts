import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../cli/run.js'
import { parseFileCommand } from '../infra/github/file-commands.js'

/** Runs a bundled action entry the way the runner does: INPUT_* variables and file commands. */
function runAction(entry: 'main' | 'post', inputs: Record<string, string>, state: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-action-'))
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state', GITHUB_ENV: 'env' }
  for (const f of Object.values(files)) writeFileSync(path.join(dir, f), '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: REPO,
    RUNNER_TEMP: dir,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(dir, f)])),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  }
  // The runner sets every declared input, with its default when the workflow gives none.
  for (const [k, v] of Object.entries({ 'DRY-RUN': 'false', FORMAT: 'github', COMMAND: 'pipeline' })) env[`INPUT_${k}`] ??= v
  const run = spawnSync(process.execPath, [`dist/action/${entry}.js`], { cwd: REPO, env, encoding: 'utf8' })
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8')
  return { ...run, dir, outputs: parseFileCommand(read('output')), state: parseFileCommand(read('state')), summary: read('summary') }
}

describe('the action (dist/action)', () => {
  it('dry-runs the quickstart pipeline: outputs, report, summary and the run id for the post step', () => {
    const run = runAction('main', { config: 'examples/quickstart/.release-gate.yml', 'dry-run': 'true' })
    expect(run.outputs.report).toBe(path.join(run.dir, 'release-gate-report.json'))
    const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8'))
    expect(report.verdict).toBe(run.outputs.verdict)
    expect(run.outputs['exit-code']).toBe(String(run.outputs.verdict === 'fail' ? 1 : 0))
    expect(Number(run.outputs.errors)).toBe(report.counts.error)
    expect(run.state['run-id']).toBe('gh-4242-2')
    expect(run.summary).toContain('release-gate: ')
    expect(run.summary).toContain('| rollout | ⏭️ skipped | dry run: would wait for rollouts.argoproj.io/checkout in namespace shop')
  })

  it('annotates each config problem at file:line:col and fails the step', () => {
    const dir = mkdtempSync(path.join(REPO, '.cache/action-cfg-'))
    writeFileSync(path.join(dir, 'bad.yml'), 'version: 1\nrollout:\n  nmae: x\n')
    const rel = path.relative(REPO, path.join(dir, 'bad.yml'))
    const run = runAction('main', { config: rel })
    expect(run.status).toBe(1)
    expect(run.stdout).toContain(`::error file=${rel},line=3,endLine=3,col=3,title=CONFIG::rollout: unknown key "nmae"`)
    expect(run.stdout).toContain(`::error file=${rel},line=2,endLine=2,col=1,title=CONFIG::rollout.name: missing required value (expected string)`)
    expect(run.stdout).toContain('::error::release-gate: invalid config (2 problem(s), annotated above)')
    expect(run.outputs['exit-code']).toBe('2')
  })

  it('refuses an unknown command input with the valid choices', () => {
    const run = runAction('main', { command: 'deploy' })
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('::error::release-gate: input command: expected one of pipeline, contract, chaos, gate, rollout, got "deploy"')
  })

  it('post step: cleans up by the run id the main step saved, and never fails the job', () => {
    const withState = runAction('post', {}, { 'run-id': 'gh-4242-2' })
    expect(withState.status).toBe(0)
    expect(withState.stdout).toContain('run gh-4242-2')
    const without = runAction('post', {})
    expect(without.status).toBe(0)
    expect(without.stdout).toContain('the main step recorded no run')
  })
})
