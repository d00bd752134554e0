import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-T7HSO4S4.js";
import "../chunks/chunk-TVIW7CY6.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
