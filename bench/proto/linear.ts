// Parser and linker scaling: each pathological input at 2,000 and 16,000 repetitions; 8x the input should
// take about 8x the time (quadratic would be about 64x). Prints the ratios; exits 1 above --max (default 24).
import { compile, parseFile, ProtoError } from '../../src/contract/proto/index.js'
import { PATHOLOGICAL_FAMILIES } from '../../test/contract/proto/pathological.js'

const maxFlag = process.argv.indexOf('--max')
const maxRatio = maxFlag > 0 ? Number(process.argv[maxFlag + 1]) : 24

function run(text: string): void {
  try {
    parseFile('x.proto', text)
  } catch (e) {
    if (!(e instanceof ProtoError)) throw e
    return
  }
  compile(new Map([['x.proto', text]]))
}

/** Best of 3, in milliseconds. */
function time(f: () => void): number {
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    f()
    best = Math.min(best, performance.now() - t)
  }
  return best
}

let worst = 0
console.log('input family | 2,000 reps (ms) | 16,000 reps (ms) | ratio (linear ≈ 8)')
for (const [name, build] of PATHOLOGICAL_FAMILIES) {
  const small = build(2_000)
  const large = build(16_000)
  run(small)
  const a = time(() => run(small))
  const b = time(() => run(large))
  const ratio = b / Math.max(a, 0.05)
  worst = Math.max(worst, ratio)
  console.log(`${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${ratio.toFixed(1)}`)
}
console.log(`worst ratio ${worst.toFixed(1)} (limit ${maxRatio})`)
process.exitCode = worst > maxRatio ? 1 : 0
