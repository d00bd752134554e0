import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  STATE_RUN_ID,
  readInputs
} from "../chunks/chunk-66PHKBEY.js";
import {
  execute,
  getState,
  info,
  warning
} from "../chunks/chunk-GUL23VLO.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/post.ts
import { existsSync } from "node:fs";
import path from "node:path";
async function post() {
  const runId = getState(STATE_RUN_ID);
  if (!runId) {
    info("release-gate post: the main step recorded no run, nothing to clean up");
    return;
  }
  try {
    const { options } = readInputs();
    if (!existsSync(path.resolve(options.cwd, options.configPath))) {
      info(`release-gate post: no ${options.configPath}, so run ${runId} ran no chaos experiment: nothing to clean up`);
      return;
    }
    const report = await execute({ name: "cleanup" }, { ...options, runId, dryRun: false });
    for (const stage of report.stages) {
      info(`release-gate post: ${stage.summary}`);
      for (const line of stage.details ?? []) info(`  ${line}`);
      for (const finding of stage.findings) warning(`release-gate post: ${finding.message}`);
    }
  } catch (err) {
    warning(`release-gate post: cleanup of run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// src/action/post-index.ts
await post();
