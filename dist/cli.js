#!/usr/bin/env node
import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  ConfigError,
  DEFAULT_CONFIG_PATH,
  EXIT,
  FORMATS,
  ROLLOUT_ACTIONS,
  TOOL,
  UsageError,
  configSchema,
  defaultRunId,
  execute,
  exitCodeFor,
  external_exports,
  render,
  renderJson,
  wantsColor
} from "./chunks/chunk-GUL23VLO.js";
import "./chunks/chunk-WUPCW32C.js";

// src/cli/main.ts
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

// src/config/json-schema.ts
function jsonSchema() {
  return {
    ...external_exports.toJSONSchema(configSchema, { target: "draft-7", io: "input", unrepresentable: "any" }),
    title: "release-gate configuration"
  };
}

// src/cli/commands.ts
var str = (v) => typeof v === "string" ? v : void 0;
var GLOBAL_OPTIONS = {
  config: { type: "string", short: "c", value: "PATH", description: "config file (default .release-gate.yml)" },
  environment: { type: "string", short: "e", value: "NAME", description: "environment from the config (staging, prod, \u2026)" },
  format: { type: "string", short: "f", value: "FORMAT", description: "text | json | github | sarif | junit (default text; github in GitHub Actions)" },
  output: { type: "string", short: "o", value: "FILE", description: "also write the JSON report to FILE" },
  "dry-run": { type: "boolean", description: "print the plan (what would be applied, queried, patched) and touch nothing" },
  "run-id": { type: "string", value: "ID", description: "run id labelling what this run creates (default: GitHub run id or random)" },
  help: { type: "boolean", short: "h", description: "show help" }
};
var ROLLOUT_SUMMARY = {
  status: "print the rollout phase and message as the kubectl plugin computes them",
  wait: "wait until the rollout is paused, healthy, degraded or at a step",
  promote: "promote with the kubectl plugin's patches",
  abort: "abort with the kubectl plugin's patch",
  retry: "retry an aborted rollout",
  pause: "pause the rollout"
};
var COMMANDS = [
  {
    words: ["contract", "lint"],
    args: "[DIR]",
    summary: "lint .proto files with buf's rules and IDs (buf.yaml honoured)",
    build: (p) => ({ name: "contract", mode: "lint", dir: p[0] })
  },
  {
    words: ["contract", "breaking"],
    args: "[DIR] --against <git-ref|DIR>",
    summary: "find breaking changes against a git ref or a directory",
    options: { against: { type: "string", value: "REF|DIR", description: "base to compare with: a git ref (origin/main) or a directory" } },
    build: (p, v) => ({ name: "contract", mode: "breaking", dir: p[0], against: str(v.against) })
  },
  {
    words: ["contract", "check"],
    args: "[DIR] [--against <git-ref|DIR>]",
    summary: "lint + breaking + the evolution policy, as the pipeline runs it",
    options: { against: { type: "string", value: "REF|DIR", description: "base to compare with: a git ref or a directory" } },
    build: (p, v) => ({ name: "contract", mode: "check", dir: p[0], against: str(v.against) })
  },
  {
    words: ["chaos", "run"],
    summary: "inject the configured chaos experiment(s) under the admission policy and SLO guard",
    options: { experiment: { type: "string", value: "NAME", description: "run only this experiment" } },
    build: (_p, v) => ({ name: "chaos", experiment: str(v.experiment) })
  },
  {
    words: ["gate"],
    summary: "evaluate the Prometheus/Alertmanager gates (or backtest them over a past window)",
    options: {
      from: { type: "string", value: "TIME", description: "backtest start (RFC 3339 or unix seconds)" },
      to: { type: "string", value: "TIME", description: "backtest end" }
    },
    build: (_p, v) => ({ name: "gate", from: str(v.from), to: str(v.to) })
  },
  ...ROLLOUT_ACTIONS.map(
    (action) => ({
      words: ["rollout", action],
      summary: ROLLOUT_SUMMARY[action],
      options: action === "promote" ? { full: { type: "boolean", description: "skip the remaining steps (promote --full)" } } : action === "wait" ? {
        until: { type: "string", value: "STATE", description: "paused | healthy | degraded | step=N (default paused)" },
        timeout: { type: "string", value: "DURATION", description: "give up after this long (default from config)" }
      } : void 0,
      build: (_p, v) => ({ name: "rollout", action, full: v.full === true, until: str(v.until), timeout: str(v.timeout) })
    })
  ),
  {
    words: ["pipeline"],
    summary: "contract \u2192 chaos on staging under the guard \u2192 gates on the canary \u2192 promote or abort",
    build: () => ({ name: "pipeline" })
  },
  {
    words: ["cleanup"],
    summary: "stop and delete everything a run created (for Jenkins post / GitLab after_script)",
    build: () => ({ name: "cleanup" })
  }
];

// src/cli/main.ts
async function runCli(argv, io) {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}
`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`release-gate: ${err.message}
`);
      return EXIT.usage;
    }
    io.stderr.write(`release-gate: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}
`);
    return EXIT.inconclusive;
  }
}
async function dispatch(argv, io) {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout.write(mainHelp());
    return argv.length === 0 ? EXIT.usage : EXIT.pass;
  }
  if (argv[0] === "--version" || argv[0] === "-V") {
    io.stdout.write(`${TOOL.version}
`);
    return EXIT.pass;
  }
  if (argv[0] === "schema") {
    if (argv.includes("--help") || argv.includes("-h")) io.stdout.write(`Usage: release-gate schema

Prints the JSON Schema of .release-gate.yml.
`);
    else io.stdout.write(JSON.stringify(jsonSchema(), null, 2) + "\n");
    return EXIT.pass;
  }
  const command = findCommand(argv);
  const rest = argv.slice(command.words.length);
  const optionSpecs = { ...GLOBAL_OPTIONS, ...command.options };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: toParseArgs(optionSpecs), allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${err.message.replace(/^.*?: /, "")}
Run: release-gate ${command.words.join(" ")} --help`);
  }
  const values = parsed.values;
  if (values.help) {
    io.stdout.write(commandHelp(command));
    return EXIT.pass;
  }
  const format = parseFormat(values.format, io.env);
  const options = {
    cwd: io.cwd,
    configPath: values.config ?? DEFAULT_CONFIG_PATH,
    configRequired: values.config !== void 0,
    environment: values.environment,
    dryRun: values["dry-run"] === true,
    format,
    runId: values["run-id"] ?? defaultRunId(io.env),
    env: io.env
  };
  if (command.words[0] === "cleanup" && values["run-id"] === void 0) throw new UsageError("cleanup needs --run-id ID (the run to clean up)");
  const report = await execute(command.build(parsed.positionals, values), options);
  io.stdout.write(render(report, format, { color: format === "text" && wantsColor(io.stdout, io.env) }));
  if (typeof values.output === "string") await writeFile(path.resolve(io.cwd, values.output), renderJson(report));
  return exitCodeFor(report.verdict, report.dryRun);
}
function findCommand(argv) {
  const match = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (match) return match;
  const group = COMMANDS.filter((c) => c.words[0] === argv[0]);
  if (group.length > 0) {
    const choices = group.map((c) => c.words.slice(1).join(" ")).join(", ");
    throw new UsageError(argv[1] === void 0 || argv[1].startsWith("-") ? `"${argv[0]}" needs a subcommand: ${choices}` : `unknown subcommand "${argv[0]} ${argv[1]}"; expected one of: ${choices}`);
  }
  throw new UsageError(`unknown command "${argv[0]}"; run release-gate --help for the list`);
}
function parseFormat(value, env) {
  if (value === void 0) return env.GITHUB_ACTIONS === "true" ? "github" : "text";
  if (typeof value === "string" && FORMATS.includes(value)) return value;
  throw new UsageError(`--format: expected one of ${FORMATS.join(", ")}, got "${String(value)}"`);
}
function toParseArgs(specs) {
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.short ? { type: s.type, short: s.short } : { type: s.type }]));
}
function optionLines(specs) {
  const rows = Object.entries(specs).map(([name, s]) => [`${s.short ? `-${s.short}, ` : "    "}--${name}${s.value ? ` ${s.value}` : ""}`, s.description]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
function mainHelp() {
  const rows = COMMANDS.map((c) => [`${c.words.join(" ")}${c.args ? ` ${c.args}` : ""}`, c.summary]);
  rows.push(["schema", "print the JSON Schema of .release-gate.yml"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `release-gate ${TOOL.version} \u2014 decides whether a release may go out`,
    "",
    "Usage: release-gate <command> [options]",
    "",
    "Commands:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    "Options for every command:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Exit codes: 0 pass, 1 blocked, 2 usage/config/input error, 3 inconclusive (never a pass).",
    ""
  ].join("\n");
}
function commandHelp(command) {
  return [
    `Usage: release-gate ${command.words.join(" ")}${command.args ? ` ${command.args}` : ""} [options]`,
    "",
    command.summary[0].toUpperCase() + command.summary.slice(1) + ".",
    ...command.details ? ["", command.details] : [],
    "",
    "Options:",
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    "",
    "Exit codes: 0 pass, 1 blocked, 2 usage/config/input error, 3 inconclusive.",
    ""
  ].join("\n");
}

// src/cli/index.ts
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
