import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-LRP5BBJZ.js";
import "../chunks/chunk-3J4YOWOS.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
