import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, REPO, systemNode } from './run.js'

const QUICKSTART = 'examples/quickstart/.release-gate.yml'

function tempConfig(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-cli-'))
  writeFileSync(path.join(dir, '.release-gate.yml'), text)
  return dir
}

describe('release-gate CLI', () => {
  it('lists every command in --help, and exits 2 with the help when given nothing', async () => {
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['contract lint', 'contract breaking', 'contract check', 'chaos run', 'gate', 'rollout status', 'rollout wait', 'rollout promote', 'rollout abort', 'rollout retry', 'rollout pause', 'pipeline', 'cleanup', 'schema'])
      expect(help.stdout).toContain(`  ${command}`)
    expect((await cli([])).code).toBe(2)
  })

  it('has --help on every command', async () => {
    const promote = await cli(['rollout', 'promote', '--help'])
    expect(promote.code).toBe(0)
    expect(promote.stdout).toContain('Usage: release-gate rollout promote')
    expect(promote.stdout).toContain('--full')
    expect((await cli(['contract', 'breaking', '--help'])).stdout).toContain('--against REF|DIR')
    expect((await cli(['schema', '--help'])).stdout).toContain('JSON Schema')
  })

  it('exits 2 with a clear message on usage errors', async () => {
    expect(await cli(['deploy'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "deploy"') })
    expect(await cli(['rollout'])).toMatchObject({ code: 2, stderr: expect.stringContaining('"rollout" needs a subcommand: status, wait, promote, abort, retry, pause') })
    expect(await cli(['rollout', 'promote', '--ful'])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--ful'") })
    expect(await cli(['pipeline', '--format', 'xml', '--dry-run', '--config', QUICKSTART])).toMatchObject({ code: 2, stderr: expect.stringContaining('--format: expected one of text, json, github, sarif, junit, got "xml"') })
    expect(await cli(['cleanup'])).toMatchObject({ code: 2, stderr: expect.stringContaining('cleanup needs --run-id') })
  })

  it('prints file:line:col for an invalid config and exits 2', async () => {
    const dir = tempConfig('version: 1\ngates:\n  checks:\n    - name: p99\n      kind: compare\n      canary: q\n      baseline: q\n      maxIncrease: -1\n')
    const run = await cli(['gate', '--dry-run'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('.release-gate.yml:8:20: gates.checks[0].maxIncrease: Too small: expected number to be >0\n')
  })

  it('says when a config named with --config does not exist', async () => {
    const run = await cli(['pipeline', '--config', 'nope.yml'])
    expect(run).toMatchObject({ code: 2, stderr: 'nope.yml:1:1: cannot read config: file not found\n' })
  })

  it('a rollout command without a rollout section says what is missing and exits 2', async () => {
    const dir = tempConfig('version: 1\n')
    const run = await cli(['rollout', 'promote'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/rollout/)
  })

  it('prints the dry-run plan of the cluster stages with escaped query variables', async () => {
    const dir = tempConfig(`version: 1
gates:
  variables: { service: 'a"}b' }
  checks:
    - { name: errors, kind: threshold, query: 'sum(rate(x{service="{{ service }}"}[1m]))', max: 1 }
rollout:
  name: checkout
  namespace: shop
`)
    const run = await cli(['pipeline', '--dry-run', '--format', 'json'], { cwd: dir })
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    const gates = report.stages.find((s: { stage: string }) => s.stage === 'gates')
    expect(gates.verdict).toBe('skipped')
    expect(gates.evidence.plan[0].queries.query).toBe('sum(rate(x{service="a\\"}b"}[1m]))')
    const rollout = report.stages.find((s: { stage: string }) => s.stage === 'rollout')
    expect(rollout.evidence.plan.onFail).toBe('abort: {"status":{"abort":true}} on /status')
  })

  it('dry-runs chaos with the duration and selection timeout the real run would use, and its config errors', async () => {
    const env = { GITHUB_REF_NAME: 'release/1.4' }
    const run = await cli(['chaos', 'run', '--dry-run', '--environment', 'staging', '--format', 'json', '--config', 'examples/release/.release-gate.yml'], { env })
    expect(run.code).toBe(0)
    const [plan] = JSON.parse(run.stdout).stages[0].evidence.plan
    expect(plan).toMatchObject({ experiment: 'checkout-network-delay', duration: '3s', selectTimeout: '1500ms (default)' })
    expect(plan.admission).toContainEqual({ rule: 'ADMISSION_APPROVALS', outcome: 'pending', detail: 'needs 1 approval(s) from any reviewer; read from GitHub when the stage runs' })

    const dir = mkdtempSync(path.join(tmpdir(), 'rg-plan-'))
    cpSync(path.join(REPO, 'examples/release'), dir, { recursive: true })
    const configPath = path.join(dir, '.release-gate.yml')
    // Without its duration the experiment gets the policy's 5m, which a 10m selectTimeout can never fit.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('      duration: 3s\n', '      selectTimeout: 10m\n'))
    const bad = await cli(['chaos', 'run', '--dry-run', '--environment', 'staging'], { cwd: dir, env })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/\.release-gate\.yml:\d+:\d+: chaos\.experiments\[0\]\.selectTimeout: 10m is longer than the run can last \(duration 5m \+ 30s grace for chaos-mesh\)/)
  })

  it('refuses the cluster stages for a pull_request_target trigger unless the environment allows it', async () => {
    const config = (allow: boolean) => `version: 1
environments:
  staging: { allowUntrustedTriggers: ${allow} }
rollout: { name: checkout, namespace: shop }
`
    const dir = tempConfig(config(false))
    const event = path.join(dir, 'event.json')
    writeFileSync(event, JSON.stringify({ pull_request: { number: 1 } }))
    const env = { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: event }
    const refused = await cli(['pipeline', '--dry-run', '--format', 'json'], { cwd: dir, env })
    expect(refused.code).toBe(1)
    const report = JSON.parse(refused.stdout)
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'UNTRUSTED_TRIGGER', stage: 'rollout', message: expect.stringContaining('pull_request_target runs with the base repository token') })
    ])
    writeFileSync(path.join(dir, '.release-gate.yml'), config(true))
    expect((await cli(['pipeline', '--dry-run'], { cwd: dir, env })).code).toBe(0)
  })

  it('fills {{ elapsed }} in the dry run as a live run does: the first lookback, rounded to seconds', async () => {
    const dir = tempConfig(`version: 1
gates:
  interval: 1500ms
  checks:
    - { name: errors, kind: threshold, query: 'sum(increase(errors[{{ elapsed }}]))', max: 1 }
`)
    const run = await cli(['gate', '--dry-run', '--format', 'json'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).stages[0].evidence.plan[0].queries.query).toBe('sum(increase(errors[2s]))')
  })

  it('dry-runs gates that use the run-time variables elapsed and interval', async () => {
    const dir = tempConfig(`version: 1
gates:
  interval: 30s
  checks:
    - name: errors
      kind: sequential
      canaryErrors: 'sum(increase(errors{track="canary"}[{{ elapsed }}]))'
      canaryTotal: 'sum(increase(requests{track="canary"}[{{ elapsed }}]))'
      baselineErrors: 'sum(increase(errors{track="stable"}[{{ elapsed }}]))'
      baselineTotal: 'sum(increase(requests{track="stable"}[{{ interval }}]))'
`)
    const run = await cli(['gate', '--dry-run', '--format', 'json'], { cwd: dir })
    expect(run.code).toBe(0)
    const queries = JSON.parse(run.stdout).stages[0].evidence.plan[0].queries
    expect(queries.canaryErrors).toBe('sum(increase(errors{track="canary"}[30s]))')
    expect(queries.baselineTotal).toBe('sum(increase(requests{track="stable"}[30s]))')
  })

  it('prints the config JSON Schema', async () => {
    const run = await cli(['schema'])
    const schema = JSON.parse(run.stdout)
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(schema.properties.gates.properties.checks.items.anyOf ?? schema.properties.gates.properties.checks.items.oneOf).toHaveLength(7)
  })
})

describe('the bundled CLI (dist/cli.js)', () => {
  const node = systemNode()
  it.runIf(node?.version.startsWith('v20.'))('runs on the system Node 20', () => {
    const help = spawnSync(node!.path, ['dist/cli.js', '--help'], { cwd: REPO, encoding: 'utf8' })
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('release-gate')
    const bad = spawnSync(node!.path, ['dist/cli.js', 'pipeline', '--config', 'nope.yml'], { cwd: REPO, encoding: 'utf8' })
    expect(bad.status).toBe(2)
  })
  it('runs on the Node that runs the tests', () => {
    const run = spawnSync(process.execPath, ['dist/cli.js', '--version'], { cwd: REPO, encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})
