import { compareFindings, type Finding, type Severity } from '../findings.js'

/** GitHub shows at most this many annotations of each level per step and drops the rest silently. */
export const ANNOTATIONS_PER_LEVEL = 10

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'notice' }

// Workflow-command escaping, as the runner decodes it.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

export interface AnnotationOptions {
  /** Findings on lines the PR changed come first; they are what the author can act on. */
  isChanged?: (f: Finding) => boolean
}

export function annotationCommand(f: Finding): string {
  const props: string[] = []
  if (f.path) {
    props.push(`file=${escapeProperty(f.path)}`)
    if (f.line) {
      props.push(`line=${f.line}`)
      const endLine = f.endLine ?? f.line
      props.push(`endLine=${endLine}`)
      // The runner drops columns on multi-line annotations.
      if (f.column && endLine === f.line) {
        props.push(`col=${f.column}`)
        if (f.endColumn) props.push(`endColumn=${f.endColumn}`)
      }
    }
  }
  props.push(`title=${escapeProperty(f.rule)}`)
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message + (f.help ? `\n${f.help}` : ''))}`
}

/**
 * The workflow commands for one step: per level, the most relevant findings up to the limit; when
 * some do not fit, the last slot says how many more the job summary lists.
 */
export function renderAnnotations(findings: Finding[], options: AnnotationOptions = {}): string {
  const changed = options.isChanged ?? (() => false)
  const ranked = [...findings].sort((a, b) => Number(changed(b)) - Number(changed(a)) || compareFindings(a, b))
  const lines: string[] = []
  for (const level of ['error', 'warning', 'notice'] as const) {
    const atLevel = ranked.filter((f) => f.severity === level)
    const fits = atLevel.length <= ANNOTATIONS_PER_LEVEL
    const shown = fits ? atLevel : atLevel.slice(0, ANNOTATIONS_PER_LEVEL - 1)
    for (const f of shown) lines.push(annotationCommand(f))
    if (!fits) {
      const more = atLevel.length - shown.length
      lines.push(`::${level} title=release-gate::${more} more ${level}${more === 1 ? '' : 's'} not annotated here (GitHub shows ${ANNOTATIONS_PER_LEVEL} per step); all findings are in the job summary and the JSON report.`)
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}
