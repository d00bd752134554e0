import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-M2OMS5YZ.js";
import "../chunks/chunk-LX3UC6LX.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
