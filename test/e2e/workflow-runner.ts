/**
 * Runs a caller workflow's call of the reusable workflow the way the Actions runner would, for the
 * parts these two files use: jobs in `needs` order (a failed job skips its dependants), `${{ }}`
 * expressions over inputs, secrets and github.token, `run:` steps in bash with GITHUB_ENV, and every
 * `release-gate/release-gate` step as the bundled action (dist/action/main.js, then post.js at the end
 * of the job) with its declared inputs and their defaults. `actions/checkout` is the prepared
 * workspace. Anything else in the files is an error, so the test cannot silently drift from them.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { REPO } from '../cli/run.js'
import { parseFileCommand } from '../infra/github/file-commands.js'

interface StepSpec {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
}

interface JobSpec {
  needs?: string | string[]
  environment?: string
  outputs?: Record<string, string>
  steps: StepSpec[]
}

interface ReusableWorkflow {
  on: { workflow_call: { inputs?: Record<string, { default?: string | boolean | number }> } }
  jobs: Record<string, JobSpec>
}

export interface StepRun {
  id?: string
  kind: 'checkout' | 'run' | 'release-gate'
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  inputs?: Record<string, string>
  post?: { exitCode: number; stdout: string }
}

export interface JobRun {
  id: string
  result: 'success' | 'failure' | 'skipped'
  /** The GitHub environment the job ran under, evaluated. */
  environment?: string
  steps: StepRun[]
  outputs: Record<string, string>
}

export interface WorkflowRun {
  jobs: JobRun[]
  job(id: string): JobRun
}

export interface RunnerOptions {
  /** The caller workflow, relative to the repository root. */
  caller: string
  /** The job of the caller that `uses:` the reusable workflow. */
  callerJob: string
  /** The checked-out repository the jobs run in. */
  workspace: string
  secrets: Record<string, string>
  /** The runner's GITHUB_* variables for this run (repository, sha, event, API URL …). */
  github: NodeJS.ProcessEnv
  token: string
  /** Called before each job starts: what happens in the world between two jobs (an outage). */
  beforeJob?: (id: string) => Promise<void>
}

const ACTION = 'release-gate/release-gate'

export async function runCallerWorkflow(options: RunnerOptions): Promise<WorkflowRun> {
  const caller = parse(readFileSync(path.join(REPO, options.caller), 'utf8')) as { jobs: Record<string, { uses: string; with?: Record<string, string>; secrets?: string }> }
  const call = caller.jobs[options.callerJob]
  if (!call) throw new Error(`${options.caller}: no job ${options.callerJob}`)
  const [, reusablePath] = /^release-gate\/release-gate\/(\.github\/workflows\/[\w.-]+)@/.exec(call.uses) ?? []
  if (!reusablePath) throw new Error(`${options.caller}: jobs.${options.callerJob}.uses is not this repository's reusable workflow: ${call.uses}`)
  if (call.secrets !== 'inherit') throw new Error(`${options.caller}: expected secrets: inherit`)
  const reusable = parse(readFileSync(path.join(REPO, reusablePath), 'utf8')) as ReusableWorkflow
  const declared = reusable.on.workflow_call.inputs ?? {}
  for (const name of Object.keys(call.with ?? {})) if (!(name in declared)) throw new Error(`${options.caller}: input ${name} is not declared by ${reusablePath}`)
  const inputs = Object.fromEntries(Object.entries(declared).map(([name, spec]) => [name, String(call.with?.[name] ?? spec.default ?? '')]))

  const done = new Map<string, JobRun>()
  const order = jobOrder(reusable.jobs)
  for (const id of order) {
    const spec = reusable.jobs[id]!
    const needs = [spec.needs ?? []].flat()
    if (needs.some((n) => done.get(n)?.result !== 'success')) {
      done.set(id, { id, result: 'skipped', steps: [], outputs: {} })
      continue
    }
    await options.beforeJob?.(id)
    done.set(id, await runJob(id, spec, { inputs, secrets: options.secrets, token: options.token }, options))
  }
  const jobs = order.map((id) => done.get(id)!)
  return { jobs, job: (id) => jobs.find((j) => j.id === id) ?? assertNever(id) }
}

function assertNever(id: string): never {
  throw new Error(`no job ${id}`)
}

function jobOrder(jobs: Record<string, JobSpec>): string[] {
  const order: string[] = []
  const visit = (id: string) => {
    if (order.includes(id)) return
    for (const need of [jobs[id]!.needs ?? []].flat()) visit(need)
    order.push(id)
  }
  Object.keys(jobs).forEach(visit)
  return order
}

interface Scope {
  inputs: Record<string, string>
  secrets: Record<string, string>
  token: string
  steps?: Record<string, { outputs: Record<string, string> }>
}

/** `${{ … }}` with the few expressions the workflows use; anything else throws. */
export function evaluate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_all, expression: string) => {
    const alternatives = expression.split(/\s*\|\|\s*/)
    for (const alternative of alternatives) {
      const value = lookup(alternative, scope)
      if (value) return value
    }
    return ''
  })
}

function lookup(expression: string, scope: Scope): string {
  let m: RegExpExecArray | null
  if ((m = /^inputs\.([\w-]+)$/.exec(expression))) return scope.inputs[m[1]!] ?? fail(`unknown input ${m[1]}`)
  if ((m = /^secrets\.([\w-]+)$/.exec(expression))) return scope.secrets[m[1]!] ?? ''
  if (expression === 'github.token') return scope.token
  if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return scope.steps?.[m[1]!]?.outputs[m[2]!] ?? ''
  return fail(`the test runner does not evaluate \${{ ${expression} }}`)
}

function fail(message: string): never {
  throw new Error(message)
}

async function runJob(id: string, spec: JobSpec, scope: Scope, options: RunnerOptions): Promise<JobRun> {
  const runnerTemp = mkdtempSync(path.join(tmpdir(), `rg-e2e-${id}-`))
  const envFile = path.join(runnerTemp, '_env')
  writeFileSync(envFile, '')
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_JOB: id,
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_ENV: envFile,
    ...options.github
  }
  const steps: StepRun[] = []
  const outputsByStep: Record<string, { outputs: Record<string, string> }> = {}
  let failed = false
  for (const [index, step] of spec.steps.entries()) {
    if (failed) break
    if ('if' in step) throw new Error(`job ${id}: the test runner does not evaluate step conditions`)
    const stepEnv = { ...base, ...parseFileCommand(readFileSync(envFile, 'utf8')), ...mapValues(step.env ?? {}, (v) => evaluate(v, scope)) }
    let run: StepRun
    if (step.uses?.startsWith('actions/checkout@')) run = { kind: 'checkout', exitCode: 0, stdout: '', stderr: '', outputs: {}, summary: '' }
    else if (step.run !== undefined) {
      const result = await spawnAndWait('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', evaluate(step.run, scope)], { cwd: options.workspace, env: stepEnv })
      run = { kind: 'run', ...result, outputs: {}, summary: '' }
    } else if (step.uses?.startsWith(`${ACTION}@`)) {
      const inputs = actionInputs(mapValues(step.with ?? {}, (v) => evaluate(String(v), scope)), scope)
      const files = stepFiles(runnerTemp, index)
      const env = { ...stepEnv, ...files, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])) }
      const result = await spawnAndWait(process.execPath, [path.join(REPO, 'dist/action/main.js')], { cwd: options.workspace, env })
      run = { id: step.id, kind: 'release-gate', ...result, inputs, outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')), summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') }
    } else throw new Error(`job ${id}: the test runner does not run step ${JSON.stringify(step)}`)
    steps.push(run)
    if (step.id) outputsByStep[step.id] = { outputs: run.outputs }
    if (run.exitCode !== 0) failed = true
  }
  // Post steps run at the end of the job, in reverse order, whatever happened before.
  for (const [index, run] of [...steps.entries()].reverse()) {
    if (run.kind !== 'release-gate') continue
    const files = stepFiles(runnerTemp, index)
    const state = parseFileCommand(readFileSync(files.GITHUB_STATE, 'utf8'))
    const env = {
      ...base, ...parseFileCommand(readFileSync(envFile, 'utf8')), ...files,
      ...Object.fromEntries(Object.entries(run.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
    }
    const post = await spawnAndWait(process.execPath, [path.join(REPO, 'dist/action/post.js')], { cwd: options.workspace, env })
    run.post = { exitCode: post.exitCode, stdout: post.stdout }
  }
  const environment = spec.environment === undefined ? undefined : evaluate(spec.environment, scope)
  const outputs = mapValues(spec.outputs ?? {}, (v) => evaluate(v, { ...scope, steps: outputsByStep }))
  return { id, result: failed ? 'failure' : 'success', ...(environment ? { environment } : {}), steps, outputs }
}

/** Every input action.yml declares, with its default when the step gives none, as the runner sets them. */
function actionInputs(given: Record<string, string>, scope: Scope): Record<string, string> {
  const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }
  for (const name of Object.keys(given)) if (!(name in action.inputs)) throw new Error(`the workflow passes input ${name}, which action.yml does not declare`)
  return Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, given[name] ?? evaluate(spec.default ?? '', scope)]))
}

function stepFiles(runnerTemp: string, index: number) {
  const dir = path.join(runnerTemp, `step-${index}`)
  mkdirSync(dir, { recursive: true })
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary'), GITHUB_STATE: path.join(dir, 'state') }
  for (const file of Object.values(files)) writeFileSync(file, '', { flag: 'a' })
  return files
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]))
}

/** Asynchronous, so the controllers this test process plays keep reacting while the step runs. */
function spawnAndWait(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }))
  })
}
