import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-4CGHOX4Q.js";
import "../chunks/chunk-VJ27ZTS3.js";
import "../chunks/chunk-WUPCW32C.js";

// src/action/index.ts
await run();
