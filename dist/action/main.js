import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-66PHKBEY.js";
import "../chunks/chunk-GUL23VLO.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
