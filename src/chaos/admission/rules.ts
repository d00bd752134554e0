import type { AdmissionRule } from './types.js'

const allow = (detail: string) => ({ outcome: 'allow' as const, detail })
const refuse = (reason: string, fix: string) => ({ outcome: 'refuse' as const, reason, fix })

export const kindAllowed: AdmissionRule = {
  id: 'ADMISSION_KIND',
  purpose: 'Only the chaos kinds the environment allows are injected.',
  check: ({ policy, target, environment }) =>
    !policy.kinds || policy.kinds.includes(target.kind)
      ? allow(`${target.kind} is allowed`)
      : refuse(`${target.kind} is not an allowed kind in ${environment} (allowed: ${policy.kinds.join(', ') || 'none'})`, `add ${target.kind} to chaos.admission.${environment}.kinds`)
}

export const namespacesAllowed: AdmissionRule = {
  id: 'ADMISSION_NAMESPACE',
  purpose: 'Every namespace the selectors can reach is on the allow list.',
  check: ({ policy, target, environment }) => {
    const allowed = policy.namespaces ?? [target.namespace]
    const outside = target.targetNamespaces.filter((ns) => !allowed.includes(ns))
    return outside.length === 0
      ? allow(`targets ${target.targetNamespaces.join(', ')}`)
      : refuse(`the selectors reach ${outside.join(', ')}, outside the allowed namespaces (${allowed.join(', ')})`, `narrow the selector, or add the namespace to chaos.admission.${environment}.namespaces`)
  }
}

export const blastRadius: AdmissionRule = {
  id: 'ADMISSION_BLAST_RADIUS',
  purpose: 'The selector mode and value stay within the environment\'s blast radius.',
  check: ({ policy, target, environment }) => {
    const where = `chaos.admission.${environment}`
    switch (target.mode) {
      case 'all':
        return policy.allowAll ? allow('mode all is allowed') : refuse('mode "all" selects every matching pod', `use mode fixed or fixed-percent, or set ${where}.allowAll: true`)
      case 'one':
        return allow('one pod')
      case 'fixed':
        return policy.maxPods === undefined || target.value! <= policy.maxPods
          ? allow(`${target.value} pod(s)`)
          : refuse(`mode fixed selects ${target.value} pods, more than maxPods ${policy.maxPods}`, `lower spec.value to ${policy.maxPods} or raise ${where}.maxPods`)
      case 'fixed-percent':
      case 'random-max-percent':
        return policy.maxPercent === undefined || target.value! <= policy.maxPercent
          ? allow(`${target.value}% of matching pods`)
          : refuse(`mode ${target.mode} selects up to ${target.value}% of pods, more than maxPercent ${policy.maxPercent}`, `lower the percentage to ${policy.maxPercent} or raise ${where}.maxPercent`)
    }
  }
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

/** Day and minute of the day in a time zone, from the platform's tz database. */
function localTime(now: Date, timeZone: string): { day: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return { day: get('weekday').slice(0, 3).toLowerCase(), minutes: Number(get('hour')) * 60 + Number(get('minute')) }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

export const timeWindow: AdmissionRule = {
  id: 'ADMISSION_WINDOW',
  purpose: 'Chaos runs only inside the environment\'s time windows.',
  check: ({ policy, now, environment }) => {
    if (!policy.windows) return allow('no time window configured')
    for (const w of policy.windows) {
      const { day, minutes } = localTime(now, w.timeZone)
      const start = toMinutes(w.start)
      const end = toMinutes(w.end)
      // A window may wrap midnight (22:00–02:00); its days name the day it starts on.
      const inside = start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end
      const startDay = start > end && minutes < end ? DAY_NAMES[(DAY_NAMES.indexOf(day as (typeof DAY_NAMES)[number]) + 6) % 7]! : day
      if (inside && (!w.days || w.days.includes(startDay as (typeof w.days)[number]))) return allow(`inside ${w.start}–${w.end} ${w.timeZone}`)
    }
    const list = policy.windows.map((w) => `${w.days ? `${w.days.join(',')} ` : ''}${w.start}–${w.end} ${w.timeZone}`).join('; ')
    return refuse(`${now.toISOString()} is outside the allowed windows (${list})`, `run inside a window, or change chaos.admission.${environment}.windows`)
  }
}

/** Glob with `*` (any run of characters but /) and `**` (anything), as branch protection patterns read. */
export function branchMatches(pattern: string, branch: string): boolean {
  const re = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${re}$`).test(branch)
}

export const branchAllowed: AdmissionRule = {
  id: 'ADMISSION_BRANCH',
  purpose: 'Chaos runs only for the branches the environment names (e.g. release/*).',
  check: ({ policy, branch, environment }) => {
    if (!policy.branches) return allow('no branch restriction')
    if (branch === undefined) return refuse('the branch is unknown (no GITHUB_REF_NAME, not in a git checkout)', 'run from a checkout of the branch, or set GITHUB_REF_NAME')
    return policy.branches.some((p) => branchMatches(p, branch))
      ? allow(`branch ${branch}`)
      : refuse(`branch ${branch} matches none of ${policy.branches.join(', ')}`, `run from a matching branch, or change chaos.admission.${environment}.branches`)
  }
}

export const approvals: AdmissionRule = {
  id: 'ADMISSION_APPROVALS',
  purpose: 'The change carries the approvals the environment requires: PR reviews on its latest commit, or deployment reviews of a GitHub environment.',
  check: ({ policy, approvals: given, environment }) => {
    const required = policy.approvals
    if (!required) return allow('no approval required')
    const who = [...required.users.map((u) => `@${u}`), ...required.teams.map((t) => `team ${t}`)].join(', ') || 'any reviewer'
    const where = required.environment === undefined ? 'an approving review on the PR\'s latest commit' : `an approving review on the PR's latest commit or an approval of the deployment to GitHub environment ${required.environment}`
    if (!given) return { outcome: 'pending', detail: `needs ${required.count} approval(s) from ${who}; read from GitHub when the stage runs` }
    if ('failed' in given) return refuse(`${required.count} approval(s) from ${who} are required, and they could not be checked: ${given.failed}`, given.fix)
    const counted = given.approvers.filter((a) => a.counts !== undefined)
    const listed = given.approvers.map((a) => `@${a.login} (${a.via}${a.counts ? `, counts as ${a.counts}` : ', not a required approver'})`)
    const seen = [listed.length ? `approved by ${listed.join('; ')}` : 'no approvals found', ...given.notes].join('; ')
    return counted.length >= required.count
      ? allow(`${counted.length} of ${required.count} required approval(s) from ${who}: ${seen}`)
      : refuse(`${counted.length} of ${required.count} required approval(s) from ${who} (${seen})`, `get ${where} from ${who}, or change chaos.admission.${environment}.approvals`)
  }
}

/** The admission rules, in the order a refusal is explained. */
export const admissionRules: readonly AdmissionRule[] = [kindAllowed, namespacesAllowed, blastRadius, timeWindow, branchAllowed, approvals]
