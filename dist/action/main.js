import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-LO5TRFNU.js";
import "../chunks/chunk-22KAYESI.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
