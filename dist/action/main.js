import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-GYPOC76O.js";
import "../chunks/chunk-Z5RLLOQX.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
