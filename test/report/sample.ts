import type { Finding, Report } from '../../src/report/findings.js'

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'FIELD_NO_DELETE',
    stage: 'contract',
    severity: 'error',
    message: 'Previously present field "5" with name "owner" on message "Pet" was deleted.',
    path: 'proto/acme/pet/v1/pet.proto',
    line: 12,
    column: 1,
    endLine: 17,
    endColumn: 2,
    ...overrides
  }
}

/** A report with every kind of finding the renderers must carry: with and without locations, all levels. */
export function sampleReport(): Report {
  return {
    tool: { name: 'release-gate', version: '0.0.0-test' },
    verdict: 'fail',
    dryRun: false,
    rules: {
      FIELD_NO_DELETE: { purpose: 'Checks that fields are not deleted from a given message.' },
      ENUM_ZERO_VALUE_SUFFIX: { purpose: 'Checks that enum zero values have a consistent suffix.' }
    },
    stages: [
      {
        stage: 'contract',
        verdict: 'fail',
        summary: '1 breaking change, 1 lint warning',
        durationMs: 1234,
        findings: [
          finding(),
          finding({ rule: 'ENUM_ZERO_VALUE_SUFFIX', severity: 'warning', line: 20, column: 3, endLine: 20, endColumn: 30, message: 'Enum zero value name "PET_TYPE_NONE" should be suffixed with "_UNSPECIFIED".' }),
          { rule: 'PACKAGE_NO_DELETE', stage: 'contract', severity: 'error', message: 'Previously present package "acme.store.v1" was deleted.' }
        ]
      },
      {
        stage: 'gates',
        verdict: 'inconclusive',
        summary: 'p99: no data <for> 3 intervals & "error-rate" passed',
        findings: [{ rule: 'gate:p99', stage: 'gates', severity: 'notice', message: 'query returned no series', path: '.release-gate.yml', line: 30, column: 7 }]
      },
      { stage: 'rollout', verdict: 'skipped', summary: 'not reached', findings: [] }
    ]
  }
}
