import { createRequire as __rgCreateRequire } from 'node:module'; const require = __rgCreateRequire(import.meta.url);
import {
  require_dist_cjs
} from "./chunk-CM763GI7.js";
import "./chunk-V53YTOQU.js";
import "./chunk-WUPCW32C.js";
export default require_dist_cjs();
