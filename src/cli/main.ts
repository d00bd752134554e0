import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { defaultRunId, type RunOptions } from '../commands.js'
import { ConfigError, DEFAULT_CONFIG_PATH } from '../config/load.js'
import { jsonSchema } from '../config/json-schema.js'
import { EXIT, exitCodeFor, UsageError } from '../errors.js'
import { execute } from '../pipeline.js'
import { FORMATS, render, type Format } from '../report/render/index.js'
import { renderJson } from '../report/render/json.js'
import { wantsColor } from '../report/render/text.js'
import { TOOL } from '../version.js'
import { COMMANDS, GLOBAL_OPTIONS, type CliCommand, type OptionSpec } from './commands.js'

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean }
  stderr: { write(s: string): unknown }
  env: NodeJS.ProcessEnv
  cwd: string
}

/** The CLI core: argv in, exit code out; the bin shim only wires process streams. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`)
      return EXIT.usage
    }
    if (err instanceof UsageError) {
      io.stderr.write(`release-gate: ${err.message}\n`)
      return EXIT.usage
    }
    // Anything else is a fault we did not foresee: it decided nothing, so it must never read as a pass.
    io.stderr.write(`release-gate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    return EXIT.inconclusive
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(mainHelp())
    return argv.length === 0 ? EXIT.usage : EXIT.pass
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout.write(`${TOOL.version}\n`)
    return EXIT.pass
  }
  if (argv[0] === 'schema') {
    if (argv.includes('--help') || argv.includes('-h')) io.stdout.write(`Usage: release-gate schema\n\nPrints the JSON Schema of .release-gate.yml.\n`)
    else io.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n')
    return EXIT.pass
  }
  const command = findCommand(argv)
  const rest = argv.slice(command.words.length)
  const optionSpecs = { ...GLOBAL_OPTIONS, ...command.options }
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: toParseArgs(optionSpecs), allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/^.*?: /, '')}\nRun: release-gate ${command.words.join(' ')} --help`)
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values.help) {
    io.stdout.write(commandHelp(command))
    return EXIT.pass
  }
  const format = parseFormat(values.format, io.env)
  const options: RunOptions = {
    cwd: io.cwd,
    configPath: (values.config as string | undefined) ?? DEFAULT_CONFIG_PATH,
    configRequired: values.config !== undefined,
    environment: values.environment as string | undefined,
    dryRun: values['dry-run'] === true,
    format,
    runId: (values['run-id'] as string | undefined) ?? defaultRunId(io.env),
    env: io.env
  }
  if (command.words[0] === 'cleanup' && values['run-id'] === undefined) throw new UsageError('cleanup needs --run-id ID (the run to clean up)')
  const report = await execute(command.build(parsed.positionals, values), options)
  io.stdout.write(render(report, format, { color: format === 'text' && wantsColor(io.stdout, io.env) }))
  if (typeof values.output === 'string') await writeFile(path.resolve(io.cwd, values.output), renderJson(report))
  return exitCodeFor(report.verdict, report.dryRun)
}

function findCommand(argv: string[]): CliCommand {
  const match = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w))
  if (match) return match
  const group = COMMANDS.filter((c) => c.words[0] === argv[0])
  if (group.length > 0) {
    const choices = group.map((c) => c.words.slice(1).join(' ')).join(', ')
    throw new UsageError(argv[1] === undefined || argv[1].startsWith('-') ? `"${argv[0]}" needs a subcommand: ${choices}` : `unknown subcommand "${argv[0]} ${argv[1]}"; expected one of: ${choices}`)
  }
  throw new UsageError(`unknown command "${argv[0]}"; run release-gate --help for the list`)
}

function parseFormat(value: string | boolean | undefined, env: NodeJS.ProcessEnv): Format {
  if (value === undefined) return env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) return value as Format
  throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${String(value)}"`)
}

function toParseArgs(specs: Record<string, OptionSpec>) {
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.short ? { type: s.type, short: s.short } : { type: s.type }]))
}

function optionLines(specs: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(specs).map(([name, s]) => [`${s.short ? `-${s.short}, ` : '    '}--${name}${s.value ? ` ${s.value}` : ''}`, s.description] as const)
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

export function mainHelp(): string {
  const rows = COMMANDS.map((c) => [`${c.words.join(' ')}${c.args ? ` ${c.args}` : ''}`, c.summary] as const)
  rows.push(['schema', 'print the JSON Schema of .release-gate.yml'])
  const width = Math.max(...rows.map(([left]) => left.length))
  return [
    `release-gate ${TOOL.version} — decides whether a release may go out`,
    '',
    'Usage: release-gate <command> [options]',
    '',
    'Commands:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 pass, 1 blocked, 2 usage/config/input error, 3 inconclusive (never a pass).',
    ''
  ].join('\n')
}

function commandHelp(command: CliCommand): string {
  return [
    `Usage: release-gate ${command.words.join(' ')}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    command.summary[0]!.toUpperCase() + command.summary.slice(1) + '.',
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    '',
    'Exit codes: 0 pass, 1 blocked, 2 usage/config/input error, 3 inconclusive.',
    ''
  ].join('\n')
}
