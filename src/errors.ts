import type { Verdict } from './report/findings.js'

/** Exit codes, the same for the CLI and the action's `exit-code` output; the README table is generated from this. */
export const EXIT = {
  pass: 0,
  blocked: 1,
  usage: 2,
  inconclusive: 3
} as const

export const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  pass: 'Pass: every stage that ran passed (or, with --dry-run, the plan was printed).',
  blocked: 'Blocked: an error finding or a failed gate; the release must not go out.',
  usage: 'Usage, config or input error: bad arguments, an invalid .release-gate.yml (file:line:col on stderr), unreadable input.',
  inconclusive: 'Inconclusive: could not decide (no data, Prometheus / the cluster / GitHub unreachable, an internal fault). Never a pass.'
}

/** Wrong arguments, bad config or unreadable input: nothing was decided, the caller must fix the call. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export function exitCodeFor(verdict: Verdict, dryRun: boolean): number {
  switch (verdict) {
    case 'pass':
      return EXIT.pass
    case 'fail':
      return EXIT.blocked
    case 'inconclusive':
      return EXIT.inconclusive
    case 'skipped':
      // A dry run that only planned is a successful plan; a real run that decided nothing is not a pass.
      return dryRun ? EXIT.pass : EXIT.inconclusive
  }
}
