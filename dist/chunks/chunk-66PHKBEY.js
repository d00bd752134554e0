import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  COMMENT_MAX_CHARS,
  ConfigError,
  DEFAULT_CONFIG_PATH,
  EXIT,
  FORMATS,
  REQUIRED_PERMISSION,
  ROLLOUT_ACTIONS,
  UsageError,
  actionsLog,
  allFindings,
  annotationCommand,
  countBySeverity,
  defaultRunId,
  execute,
  exitCodeFor,
  failureOutcome,
  getBooleanInput,
  getInput,
  githubClient,
  info,
  notice,
  publishCheckRun,
  publishCommitStatus,
  readEventContext,
  render,
  renderAnnotations,
  renderJson,
  renderSummary,
  renderText,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  summary,
  truncateWithNote,
  truncationNote
} from "./chunk-GUL23VLO.js";

// src/action/main.ts
import { mkdir, writeFile } from "node:fs/promises";
import path2 from "node:path";

// src/github/publish.ts
import path from "node:path";

// src/github/comment.ts
function stickyCommentMarker(workflow, job) {
  const escape = (s) => s.replace(/[%<>:\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`).replace(/--/g, "-%2D");
  return `<!-- release-gate:${escape(workflow)}:${escape(job)} -->`;
}
function commentBody(report, marker, linkFor) {
  const head = `${marker}
`;
  const summary2 = renderSummary(report, { budgetBytes: COMMENT_MAX_CHARS - head.length, ...linkFor ? { linkFor } : {} });
  return head + truncateWithNote(summary2, COMMENT_MAX_CHARS - head.length, truncationNote("GitHub's comment limit is 65,536"));
}
async function publishStickyComment(octokit, target, report, options) {
  const log = options.log ?? actionsLog;
  const marker = stickyCommentMarker(options.workflow, options.job);
  const body = commentBody(report, marker, options.linkFor);
  const { owner, repo, issueNumber } = target;
  let existing;
  let requests = 0;
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })) {
      requests++;
      existing = page.data.find((c) => c.body?.trimStart().startsWith(marker));
      if (existing) break;
    }
  } catch (err) {
    return failureOutcome(err, `read the comments of pull request #${issueNumber}`, REQUIRED_PERMISSION.commentRead, log);
  }
  if (existing?.body === body) {
    log.debug(`release-gate: comment ${existing.id} already shows this report`);
    return { status: "published", id: existing.id, url: existing.html_url, requests };
  }
  try {
    const { data } = existing ? await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }) : await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    log.info(`release-gate: ${existing ? "updated" : "created"} the PR comment ${data.html_url}`);
    return { status: "published", id: data.id, url: data.html_url, requests: requests + 1 };
  } catch (err) {
    return failureOutcome(err, `${existing ? "update" : "create"} the comment on pull request #${issueNumber}`, REQUIRED_PERMISSION.comment, log);
  }
}

// src/github/publish.ts
async function publishReport(octokit, ctx, report, options = {}) {
  const log = options.log ?? actionsLog;
  const target = { owner: ctx.owner, repo: ctx.repo, sha: ctx.headSha };
  const linkFor = blobLinker(ctx, options.pathPrefix);
  const result = {};
  if (options.checkRun ?? true)
    result.checkRun = await publishCheckRun(octokit, target, report, {
      ...options.checkName ? { name: options.checkName } : {},
      ...ctx.runUrl ? { detailsUrl: ctx.runUrl } : {},
      ...ctx.runId ? { externalId: ctx.runId } : {},
      ...options.pathPrefix ? { pathPrefix: options.pathPrefix } : {},
      linkFor,
      log
    });
  if (options.commitStatus ?? false)
    result.commitStatus = await publishCommitStatus(octokit, target, report, {
      ...options.statusContext ? { context: options.statusContext } : {},
      ...ctx.runUrl ? { targetUrl: ctx.runUrl } : {},
      log
    });
  if (options.comment ?? true) {
    if (ctx.pullRequest)
      result.comment = await publishStickyComment(octokit, { owner: ctx.owner, repo: ctx.repo, issueNumber: ctx.pullRequest.number }, report, {
        workflow: ctx.workflow,
        job: ctx.job,
        linkFor,
        log
      });
    else result.comment = { status: "skipped", reason: `no pull request in a ${ctx.eventName || "non-PR"} event` };
  }
  return result;
}
function blobLinker(ctx, pathPrefix = "") {
  return (f) => {
    if (!f.path || !ctx.headSha) return void 0;
    const file = (pathPrefix ? path.posix.join(pathPrefix, f.path) : f.path).split("/").map(encodeURIComponent).join("/");
    const lines = f.line ? `#L${f.line}${f.endLine && f.endLine !== f.line ? `-L${f.endLine}` : ""}` : "";
    return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/blob/${ctx.headSha}/${file}${lines}`;
  };
}

// src/action/inputs.ts
var ACTION_COMMANDS = ["pipeline", "contract", "chaos", "gate", "rollout"];
function readInputs(env = process.env) {
  const name = getInput("command") || "pipeline";
  const optional = (input) => getInput(input) || void 0;
  const format = getInput("format") || "github";
  if (!FORMATS.includes(format)) throw new UsageError(`input format: expected one of ${FORMATS.join(", ")}, got "${format}"`);
  const options = {
    cwd: optional("working-directory") ?? env.GITHUB_WORKSPACE ?? process.cwd(),
    configPath: optional("config") ?? DEFAULT_CONFIG_PATH,
    configRequired: optional("config") !== void 0,
    environment: optional("environment"),
    dryRun: getBooleanInput("dry-run"),
    format,
    runId: optional("run-id") ?? defaultRunId(env),
    env
  };
  const reportPath = optional("report-path") ?? `${env.RUNNER_TEMP ?? options.cwd}/release-gate-report.json`;
  const token = getInput("github-token");
  if (token) setSecret(token);
  const github = token ? {
    token,
    checkRun: getBooleanInput("check-run"),
    checkName: getInput("check-name") || "release-gate findings",
    comment: getBooleanInput("pr-comment"),
    commitStatus: getBooleanInput("commit-status")
  } : void 0;
  return { command: toCommand(name), options, reportPath, ...github ? { github } : {} };
}
function toCommand(name) {
  switch (name) {
    case "pipeline":
      return { name: "pipeline" };
    case "contract": {
      const mode = getInput("contract-mode") || "check";
      if (mode !== "lint" && mode !== "breaking" && mode !== "check") throw new UsageError(`input contract-mode: expected lint, breaking or check, got "${mode}"`);
      return { name: "contract", mode, dir: getInput("contract-dir") || void 0, against: getInput("against") || void 0 };
    }
    case "chaos":
      return { name: "chaos", experiment: getInput("experiment") || void 0 };
    case "gate":
      return { name: "gate" };
    case "rollout": {
      const action = getInput("rollout-action") || "status";
      if (!ROLLOUT_ACTIONS.includes(action))
        throw new UsageError(`input rollout-action: expected one of ${ROLLOUT_ACTIONS.join(", ")}, got "${action}"`);
      return {
        name: "rollout",
        action,
        full: getInput("promote-full") === "true",
        until: getInput("until") || void 0,
        timeout: getInput("timeout") || void 0
      };
    }
    default:
      throw new UsageError(`input command: expected one of ${ACTION_COMMANDS.join(", ")}, got "${name}"`);
  }
}

// src/action/main.ts
var STATE_RUN_ID = "run-id";
async function run() {
  try {
    const inputs = readInputs();
    saveState(STATE_RUN_ID, inputs.options.runId);
    const report = await execute(inputs.command, inputs.options);
    await publish(report, inputs.options.format, inputs.reportPath);
    if (inputs.github) await publishToGitHub(report, inputs.github, inputs.options.cwd);
    const code = exitCodeFor(report.verdict, report.dryRun);
    setOutput("exit-code", code);
    if (code !== EXIT.pass) setFailed(`release-gate: ${report.verdict} \u2014 ${report.stages.map((s) => `${s.stage}: ${s.summary}`).join("; ")}`);
  } catch (err) {
    setOutput("verdict", "inconclusive");
    if (err instanceof ConfigError) {
      for (const issue of err.issues)
        process.stdout.write(annotationCommand({ rule: "CONFIG", stage: "config", severity: "error", message: issue.message, path: issue.path, line: issue.line, column: issue.column }) + "\n");
      setOutput("exit-code", EXIT.usage);
      setFailed(`release-gate: invalid config (${err.issues.length} problem(s), annotated above)`);
    } else if (err instanceof UsageError) {
      setOutput("exit-code", EXIT.usage);
      setFailed(`release-gate: ${err.message}`);
    } else {
      setOutput("exit-code", EXIT.inconclusive);
      setFailed(`release-gate: internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
async function publish(report, format, reportPath) {
  const findings = allFindings(report);
  if (format === "github") {
    process.stdout.write(renderAnnotations(findings));
    info(renderText(report, { color: false }));
  } else process.stdout.write(render(report, format, { color: false }));
  await mkdir(path2.dirname(reportPath), { recursive: true });
  await writeFile(reportPath, renderJson(report));
  await summary.addRaw(renderSummary(report)).write();
  const counts = countBySeverity(findings);
  setOutput("verdict", report.verdict);
  setOutput("errors", counts.error);
  setOutput("warnings", counts.warning);
  setOutput("notices", counts.notice);
  setOutput("report", reportPath);
}
async function publishToGitHub(report, github, cwd) {
  let ctx;
  try {
    ctx = readEventContext(process.env);
  } catch (err) {
    notice(`release-gate: not publishing to GitHub: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const workspace = process.env.GITHUB_WORKSPACE ?? cwd;
  const pathPrefix = path2.relative(workspace, cwd).split(path2.sep).join("/");
  await publishReport(githubClient(github.token), ctx, report, {
    checkRun: github.checkRun,
    checkName: github.checkName,
    comment: github.comment,
    commitStatus: github.commitStatus,
    statusContext: github.checkName,
    ...pathPrefix ? { pathPrefix } : {}
  });
}

export {
  readInputs,
  STATE_RUN_ID,
  run
};
