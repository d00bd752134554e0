import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useOpenApiServer } from '../infra/github/openapi-server.js'
import { REPO } from '../cli/run.js'

const server = useOpenApiServer()
const EVENT = path.join(REPO, 'test/github/fixtures/events/pull-request-same-repo.json')

/** The bundled action on a pull_request event, talking to the OpenAPI-checked GitHub on loopback. */
async function runActionOnPullRequest(workspace: string, inputs: Record<string, string>) {
  const temp = mkdtempSync(path.join(tmpdir(), 'rg-publish-'))
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' }
  for (const f of Object.values(files)) writeFileSync(path.join(temp, f), '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octocat/Hello-World',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: EVENT,
    GITHUB_SHA: 'e8b6f4d1c0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5',
    GITHUB_WORKFLOW: 'contract',
    GITHUB_JOB: 'check',
    GITHUB_RUN_ID: '77',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: server.current.baseUrl,
    RUNNER_TEMP: temp,
    ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(temp, f)])),
    'INPUT_DRY-RUN': 'false',
    INPUT_FORMAT: 'github',
    'INPUT_GITHUB-TOKEN': 'ghs_test_token_value',
    'INPUT_CHECK-RUN': 'true',
    'INPUT_CHECK-NAME': 'release-gate findings',
    'INPUT_PR-COMMENT': 'true',
    'INPUT_COMMIT-STATUS': 'false',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  }
  // Asynchronous: the OpenAPI server answers from this process while the action runs.
  const child = spawn(process.execPath, [path.join(REPO, 'dist/action/main.js')], { cwd: workspace, env })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stdout += d))
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  return { code, stdout, summary: readFileSync(path.join(temp, 'summary'), 'utf8') }
}

describe('the action on a pull request', () => {
  it('publishes a check run with every contract finding and a sticky comment, all valid per GitHub\'s OpenAPI description', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'rg-ws-'))
    cpSync(path.join(REPO, 'examples/quickstart'), workspace, { recursive: true })
    const run = await runActionOnPullRequest(workspace, { command: 'contract', 'contract-mode': 'check', 'contract-dir': 'head', against: 'base' })
    expect(run.code, run.stdout).toBe(1)
    expect(run.stdout).toContain('title=FIELD_NO_DELETE::')
    // The runner masks what ::add-mask:: names; that command must come before anything else and be the only mention.
    const mentions = run.stdout.split('\n').filter((l) => l.includes('ghs_test_token_value'))
    expect(mentions.length).toBeGreaterThan(0)
    expect(mentions.every((l) => l === '::add-mask::ghs_test_token_value')).toBe(true)
    expect(run.stdout.startsWith('::add-mask::ghs_test_token_value')).toBe(true)

    const created = server.current.callsTo('checks/create')
    expect(created).toHaveLength(1)
    const body = created[0]!.body as { name: string; head_sha: string; conclusion?: string; output: { annotations: { title: string; path: string; start_line: number }[] } }
    expect(body).toMatchObject({ name: 'release-gate findings', head_sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' })
    const annotations = [...body.output.annotations, ...server.current.callsTo('checks/update').flatMap((c) => (c.body as typeof body).output?.annotations ?? [])]
    expect(annotations.map((a) => `${a.title} ${a.path}:${a.start_line}`).sort()).toEqual([
      'ENUM_VALUE_PREFIX head/acme/pet/v1/pet.proto:22',
      'ENUM_VALUE_UPPER_SNAKE_CASE head/acme/pet/v1/pet.proto:22',
      'FIELD_NO_DELETE head/acme/pet/v1/pet.proto:8',
      'FIELD_SAME_JSON_NAME head/acme/pet/v1/pet.proto:10',
      'FIELD_SAME_TYPE head/acme/pet/v1/pet.proto:12',
      'POLICY_NEW_FIELD_OPTIONAL head/acme/pet/v1/pet.proto:14'
    ])
    const comments = server.current.callsTo('issues/create-comment')
    expect(comments).toHaveLength(1)
    expect((comments[0]!.body as { body: string }).body).toContain('<!-- release-gate:contract:check -->')
    expect(run.summary).toContain('| rule | location | gRPC wire | generated code | REST/JSON | status |')
    expect(run.summary).toContain('| `FIELD_SAME_JSON_NAME` | `head/acme/pet/v1/pet.proto:10` | ✅ safe | ✅ safe | ❌ breaking | blocking |')
  }, 60_000)
})
