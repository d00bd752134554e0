import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-JWIR6ATC.js";
import "../chunks/chunk-NWFCVJ6E.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
