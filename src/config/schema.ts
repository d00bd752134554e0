import { z } from 'zod'
import { gateKinds } from '../gates/kinds/index.js'
import { selectTimeoutProblem } from '../chaos/timeouts.js'
import { duration, parseDuration } from './duration.js'

/** A secret is never written in the config: it names where to read it from at run time. */
const secretRef = z
  .object({
    env: z.string().optional().describe('Name of an environment variable holding the value.'),
    file: z.string().optional().describe('Path of a file holding the value (re-read on every use, so rotation works).')
  })
  .strict()
  .refine((s) => (s.env === undefined) !== (s.file === undefined), { message: 'give exactly one of env or file' })
  .describe('Where a secret comes from: an environment variable or a file.')

const httpAuth = z
  .object({
    bearer: secretRef.optional().describe('Bearer token.'),
    basic: z.object({ username: z.string(), password: secretRef }).strict().optional().describe('HTTP basic auth.'),
    headers: z
      .record(z.string(), z.union([z.string(), secretRef]))
      .optional()
      .describe('Extra headers such as X-Scope-OrgID or THANOS-TENANT; values may be secrets.'),
    tls: z
      .object({
        ca: z.string().optional().describe('CA bundle path.'),
        cert: z.string().optional().describe('Client certificate path (mTLS).'),
        key: z.string().optional().describe('Client key path (mTLS).'),
        insecureSkipVerify: z.boolean().default(false).describe('Skip server certificate checks (tests only).')
      })
      .strict()
      .optional(),
    sigv4: z
      .object({ region: z.string(), service: z.string().default('aps'), roleArn: z.string().optional() })
      .strict()
      .optional()
      .describe('AWS SigV4 signing, for Amazon Managed Prometheus; credentials from the AWS default chain.'),
    oauth2: z
      .object({
        tokenUrl: z.url(),
        clientId: z.string(),
        clientSecret: secretRef,
        scopes: z.array(z.string()).default([])
      })
      .strict()
      .optional()
      .describe('OAuth2 client-credentials flow.')
  })
  .strict()

const endpoint = z
  .object({
    url: z.url().describe('Base URL, e.g. http://prometheus.monitoring:9090.'),
    timeout: duration.default('10s').describe('Per-request timeout.'),
    auth: httpAuth.optional()
  })
  .strict()

const stageName = z.enum(['contract', 'chaos', 'gates', 'rollout'])

const environment = z
  .object({
    stages: z.array(stageName).default(['contract', 'chaos', 'gates', 'rollout']).describe('Stages the pipeline runs here, in order.'),
    kubeconfig: z.string().optional().describe('Kubeconfig path; default: KUBECONFIG, then ~/.kube/config, then in-cluster.'),
    kubeContext: z.string().optional().describe('Kubeconfig context to use.'),
    allowUntrustedTriggers: z
      .boolean()
      .default(false)
      .describe('Let cluster stages run on pull_request from forks or pull_request_target. Off: they refuse and say why.')
  })
  .strict()

const contract = z
  .object({
    root: z.string().default('.').describe('Directory holding the .proto files (or buf.yaml / buf.work.yaml).'),
    against: z.string().optional().describe('Base to compare with: a git ref (origin/main) or a directory. Default: the PR base.'),
    lint: z.boolean().default(true),
    breaking: z.boolean().default(true),
    failOn: z.enum(['error', 'warning']).default('error').describe('Lowest finding severity that blocks.'),
    rest: z
      .object({
        enabled: z.boolean().default(true),
        use: z.array(z.string()).optional().describe('REST rule IDs to run (default: all).'),
        except: z.array(z.string()).optional().describe('REST rule IDs to skip.')
      })
      .strict()
      .optional()
      .describe('The REST/JSON surface gRPC-Gateway derives from google.api.http (contract check only).'),
    policy: z
      .object({
        enabled: z.boolean().default(true),
        use: z.array(z.string()).optional().describe('POLICY rule IDs to run (default: all).'),
        except: z.array(z.string()).optional().describe('POLICY rule IDs to skip.'),
        tagPattern: z.string().default('v*').describe('Release tags (semver) the versions and deprecation history come from.'),
        majorsBefore: z.number().int().min(0).default(2).describe('Major versions a field must be deprecated before it is deleted.'),
        version: z.string().optional().describe('The version this change is released as, when no tag says it yet.')
      })
      .strict()
      .optional()
      .describe('The evolution policy and the semver gate (contract check only).'),
    approvalLabel: z.string().default('breaking-change-approved').describe('PR label that approves the breaking changes of a PR.')
  })
  .strict()

const windowSpec = z
  .object({
    days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).optional(),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
    end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
    timeZone: z.string().default('UTC').describe('IANA time zone, e.g. Europe/Berlin.')
  })
  .strict()

const admissionPolicy = z
  .object({
    kinds: z.array(z.string()).optional().describe('Allowed chaos kinds, e.g. [PodChaos, NetworkChaos]; absent = all.'),
    namespaces: z.array(z.string()).optional().describe('Namespaces experiments may target; absent = none but the experiment\'s own.'),
    maxPods: z.number().int().positive().optional().describe('Largest blast radius for mode fixed / one (pods).'),
    maxPercent: z.number().positive().max(100).optional().describe('Largest blast radius for mode fixed-percent / random-max-percent.'),
    allowAll: z.boolean().default(false).describe('Allow mode "all".'),
    windows: z.array(windowSpec).optional().describe('Time windows in which chaos may run; absent = any time.'),
    branches: z.array(z.string()).optional().describe('Branch patterns (glob) allowed to run chaos, e.g. release/*.'),
    approvals: z
      .object({
        users: z.array(z.string()).default([]).describe('GitHub logins whose approval counts.'),
        teams: z.array(z.string()).default([]).describe('Teams (`slug` in the repository owner\'s organisation, or `org/slug`) whose members\' approval counts; needs a token that can read teams.'),
        count: z.number().int().positive().default(1).describe('Distinct approvers needed.'),
        environment: z.string().optional().describe('GitHub environment whose deployment approvals for this run also count (its required-reviewers rule).')
      })
      .strict()
      .optional()
      .describe('Required approvals by these users or team members (any reviewer when both are empty): PR reviews on the latest commit, or deployment reviews.'),
    maxDuration: duration.default('10m').describe('Longest chaos duration; every experiment gets a duration no longer than this.')
  })
  .strict()

const experiment = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes'),
    driver: z.enum(['chaos-mesh', 'litmus']),
    manifest: z.string().describe('Path of the experiment manifest in the repository.'),
    hypothesis: z.string().optional().describe('What should hold while the experiment runs; shown in the report.'),
    duration: duration.optional().describe('Experiment duration; capped by the admission policy.'),
    guard: z.array(z.string()).default([]).describe('Gate names evaluated while the experiment runs; a breach stops it.'),
    guardInterval: duration.default('10s'),
    selectTimeout: duration
      .optional()
      .describe(
        'Nothing selected and injected within this time after creation fails the experiment. Default: Chaos Mesh min(30s, max(1s, duration/2)), Litmus duration + 3m; at most duration + 30s (Chaos Mesh) or + 3m (Litmus).'
      )
  })
  .strict()
  .superRefine((e, ctx) => {
    // With the duration known here, a timeout past the run's own deadline is caught at load time;
    // a duration from the manifest or the policy's cap is checked when the run starts.
    // A malformed duration has its own issue already.
    const ms = (text: string | undefined) => (text !== undefined && duration.safeParse(text).success ? parseDuration(text) : undefined)
    const [durationMs, selectTimeoutMs] = [ms(e.duration), ms(e.selectTimeout)]
    if (durationMs === undefined || selectTimeoutMs === undefined) return
    const problem = selectTimeoutProblem(e.driver, durationMs, selectTimeoutMs)
    if (problem) ctx.addIssue({ code: 'custom', path: ['selectTimeout'], message: problem })
  })

const gateLoop = {
  interval: duration.default('30s').describe('Time between measurements.'),
  duration: duration.optional().describe('How long to evaluate; default: count × interval.'),
  count: z.number().int().positive().default(10).describe('Number of measurements when no duration is set.'),
  initialDelay: duration.default('0s').describe('Wait before the first measurement.'),
  failureLimit: z.number().int().nonnegative().default(0).describe('Failed measurements tolerated per gate.'),
  inconclusiveLimit: z.number().int().nonnegative().default(0).describe('Inconclusive measurements tolerated per gate.'),
  consecutiveErrorLimit: z.number().int().nonnegative().default(4).describe('Query errors in a row before the gate is inconclusive.'),
  consecutiveSuccesses: z.number().int().positive().default(1).describe('Passing measurements in a row needed for a pass.')
}

// Each kind's schema is the registered unit's own; the union is derived, never written twice.
const [firstKind, ...otherKinds] = gateKinds.map((k) => k.config)
const gate = z.discriminatedUnion('kind', [firstKind!, ...otherKinds])

const gates = z
  .object({
    ...gateLoop,
    variables: z.record(z.string(), z.string()).default({}).describe('Template variables for queries ({{ name }}); values are escaped.'),
    checks: z.array(gate).default([])
  })
  .strict()

const rollout = z
  .object({
    name: z.string().describe('Argo Rollout name.'),
    namespace: z.string().default('default'),
    onInconclusive: z.enum(['hold', 'abort']).default('hold').describe('What an inconclusive verdict does; never promote.'),
    waitTimeout: duration.default('15m').describe('How long to wait for the rollout to pause.'),
    promoteFull: z.boolean().default(false).describe('Skip remaining steps when promoting.'),
    check: z
      .object({
        name: z.string().default('release-gate'),
        type: z.enum(['check-run', 'commit-status']).default('check-run')
      })
      .strict()
      .default({ name: 'release-gate', type: 'check-run' })
      .describe('The check/status on the released commit that branch protection can require.')
  })
  .strict()

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Config format version.'),
    environments: z.record(z.string(), environment).default({}).describe('Where releases go: staging, prod, …'),
    contract: contract.optional(),
    prometheus: endpoint.optional(),
    alertmanager: endpoint.optional(),
    gates: gates.optional(),
    chaos: z
      .object({
        experiments: z.array(experiment).default([]),
        grafana: z
          .object({
            url: z.url().describe('Grafana base URL (with any sub-path), e.g. https://grafana.example.com.'),
            token: secretRef.describe('A Grafana service-account token that may create annotations.'),
            dashboardUID: z.string().optional().describe('Put the annotations on this dashboard; absent = organization-wide, found by tag.'),
            tags: z.array(z.string()).default([]).describe('Tags added to chaos_injected, release-gate, experiment:NAME and verdict:VERDICT.'),
            timeout: duration.default('10s').describe('Per-request timeout.')
          })
          .strict()
          .optional()
          .describe('Annotate each experiment (injection to deletion) on Grafana; a failure to annotate is a warning.'),
        admission: z.record(z.string(), admissionPolicy).default({}).describe('Admission policy per environment.')
      })
      .strict()
      .optional(),
    rollout: rollout.optional()
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const gateNames = new Set<string>()
    cfg.gates?.checks.forEach((g, i) => {
      if (gateNames.has(g.name)) ctx.addIssue({ code: 'custom', path: ['gates', 'checks', i, 'name'], message: `gate name "${g.name}" is used twice` })
      gateNames.add(g.name)
    })
    cfg.chaos?.experiments.forEach((e, i) =>
      e.guard.forEach((name, j) => {
        if (!gateNames.has(name))
          ctx.addIssue({
            code: 'custom',
            path: ['chaos', 'experiments', i, 'guard', j],
            message: `guard "${name}" names no gate; expected one of: ${[...gateNames].join(', ') || '(no gates configured)'}`
          })
      })
    )
    for (const env of Object.keys(cfg.chaos?.admission ?? {}))
      if (!(env in cfg.environments))
        ctx.addIssue({
          code: 'custom',
          path: ['chaos', 'admission', env],
          message: `admission policy for "${env}", which is not under environments (${Object.keys(cfg.environments).join(', ') || 'none'})`
        })
  })
  .describe('release-gate configuration (.release-gate.yml)')

export type Config = z.output<typeof configSchema>
export type GateConfig = z.output<typeof gate>
export type ExperimentConfig = z.output<typeof experiment>
export type AdmissionPolicy = z.output<typeof admissionPolicy>
export type EndpointConfig = z.output<typeof endpoint>
export type RolloutConfig = z.output<typeof rollout>
export type ContractConfig = z.output<typeof contract>
