import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, REPO } from './run.js'

const QUICKSTART = path.join(REPO, 'examples/quickstart')
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' })

/** A repository whose committed proto/ is the quickstart base and whose working tree is the PR head. */
function prRepository(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'rg-contract-'))
  cpSync(path.join(QUICKSTART, 'base'), path.join(repo, 'proto'), { recursive: true })
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'add', '.')
  git(repo, 'commit', '-qm', 'base')
  rmSync(path.join(repo, 'proto'), { recursive: true })
  cpSync(path.join(QUICKSTART, 'head'), path.join(repo, 'proto'), { recursive: true })
  return repo
}

const EXPECTED_BREAKING = [
  'FIELD_NO_DELETE proto/acme/pet/v1/pet.proto:8:1-15:2',
  'FIELD_SAME_JSON_NAME proto/acme/pet/v1/pet.proto:10:20-10:42',
  'FIELD_SAME_TYPE proto/acme/pet/v1/pet.proto:12:3-12:9'
]
const located = (findings: { rule: string; path: string; line: number; column: number; endLine: number; endColumn: number }[]) =>
  findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`)

describe('release-gate contract', () => {
  it('lint reports buf rule IDs at buf locations and exits 1', async () => {
    const run = await cli(['contract', 'lint', 'examples/quickstart/head', '--format', 'json'])
    expect(run.code).toBe(1)
    expect(located(JSON.parse(run.stdout).findings)).toEqual([
      'ENUM_VALUE_PREFIX examples/quickstart/head/acme/pet/v1/pet.proto:22:3-22:19',
      'ENUM_VALUE_UPPER_SNAKE_CASE examples/quickstart/head/acme/pet/v1/pet.proto:22:3-22:19'
    ])
    expect((await cli(['contract', 'lint', 'examples/quickstart/base'])).code).toBe(0)
  })

  it('breaking against a git ref reads the base from git objects', async () => {
    const repo = prRepository()
    const run = await cli(['contract', 'breaking', 'proto', '--against', 'main', '--format', 'json'], { cwd: repo })
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(located(report.findings)).toEqual(EXPECTED_BREAKING)
    expect(report.stages[0].evidence.breaking.against).toBe('main')
  })

  it('breaking against a directory gives the same findings', async () => {
    const repo = prRepository()
    cpSync(path.join(QUICKSTART, 'base'), path.join(repo, 'base'), { recursive: true })
    const run = await cli(['contract', 'breaking', 'proto', '--against', 'base', '--format', 'json'], { cwd: repo })
    expect(located(JSON.parse(run.stdout).findings)).toEqual(EXPECTED_BREAKING)
  })

  it('on a pull request, check compares with the PR base branch by default', async () => {
    const repo = prRepository()
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
    const run = await cli(['contract', 'check', 'proto', '--format', 'json'], { cwd: repo, env: { GITHUB_BASE_REF: 'main' } })
    const rules = JSON.parse(run.stdout).findings.map((f: { rule: string }) => f.rule)
    expect(rules).toEqual(expect.arrayContaining(['FIELD_NO_DELETE', 'ENUM_VALUE_PREFIX']))
  })

  it('a file that does not compile is a COMPILE finding at its location', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-compile-'))
    writeFileSync(path.join(dir, 'a.proto'), 'syntax = "proto3";\npackage a.v1;\nmessage A {\n  Missing m = 1;\n}\n')
    const run = await cli(['contract', 'lint', '.', '--format', 'json'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ rule: 'COMPILE', path: 'a.proto', line: 4, column: 3 })
  })

  it('says how to fix a base that is not in the clone', async () => {
    const repo = prRepository()
    const run = await cli(['contract', 'breaking', 'proto', '--against', 'origin/release-9'], { cwd: repo })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/fetch-depth: 0|git fetch/)
  })

  it('breaking without a base is a usage error', async () => {
    const run = await cli(['contract', 'breaking', 'examples/quickstart/head'])
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('contract breaking needs a base') })
  })

  it('annotations carry the rule ID as title (GitHub format)', async () => {
    const run = await cli(['contract', 'lint', 'examples/quickstart/head', '--format', 'github'])
    expect(run.stdout).toContain('::error file=examples/quickstart/head/acme/pet/v1/pet.proto,line=22,endLine=22,col=3,endColumn=19,title=ENUM_VALUE_PREFIX::Enum value name "pet_type_hamster" should be prefixed with "PET_TYPE_".')
  })
})

describe('release-gate contract check: beyond buf', () => {
  /** The gRPC-Gateway example committed and tagged v1.0.0 as the base; the working tree is the PR. */
  function gatewayRepository(): string {
    const repo = mkdtempSync(path.join(tmpdir(), 'rg-gateway-'))
    cpSync(path.join(REPO, 'examples/grpc-gateway'), repo, { recursive: true })
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', '.')
    git(repo, 'commit', '-qm', 'v1')
    git(repo, 'tag', 'v1.0.0')
    return repo
  }
  const library = (repo: string) => path.join(repo, 'proto/acme/library/v1/library.proto')
  const changePath = (repo: string) => {
    const file = library(repo)
    writeFileSync(file, readFileSync(file, 'utf8').replace('post: "/v1/{parent=shelves/*}/books"', 'post: "/v1/{parent=shelves/*}/volumes"'))
  }

  it('blocks a changed google.api.http path, which buf breaking passes', async () => {
    const repo = gatewayRepository()
    changePath(repo)
    execFileSync(path.join(REPO, 'node_modules/.bin/buf'), ['breaking', '--against', '.git#tag=v1.0.0'], { cwd: repo }) // exits 0: buf sees no break
    const run = await cli(['contract', 'check', '--against', 'v1.0.0', '--format', 'json'], { cwd: repo })
    expect(run.code).toBe(1)
    const findings = JSON.parse(run.stdout).findings
    expect(findings).toEqual([expect.objectContaining({ rule: 'HTTP_SAME_PATH', path: 'proto/acme/library/v1/library.proto', line: 14, severity: 'error' })])
  })

  it('an approved break passes, with the approval in the report', async () => {
    const repo = gatewayRepository()
    changePath(repo)
    const event = path.join(repo, 'event.json')
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, labels: [{ name: 'breaking-change-approved' }] } }))
    const run = await cli(['contract', 'check', '--against', 'v1.0.0', '--format', 'json'], { cwd: repo, env: { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' } })
    expect(run.code).toBe(0)
    const finding = JSON.parse(run.stdout).findings[0]
    expect(finding).toMatchObject({ rule: 'HTTP_SAME_PATH', severity: 'notice', message: expect.stringContaining('breaking-change-approved') })
  })
})
