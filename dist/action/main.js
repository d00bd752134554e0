import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-ORPION7B.js";
import "../chunks/chunk-7H5MSCKI.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
