import type { Report } from '../findings.js'
import { allFindings } from '../findings.js'
import { renderAnnotations } from './annotations.js'
import { renderJson } from './json.js'
import { renderJunit } from './junit.js'
import { renderSarif } from './sarif.js'
import { renderText } from './text.js'

export const FORMATS = ['text', 'json', 'github', 'sarif', 'junit'] as const
export type Format = (typeof FORMATS)[number]

/** One dispatch for every output format; `github` is annotations plus the text report. */
export function render(report: Report, format: Format, options: { color: boolean }): string {
  switch (format) {
    case 'text':
      return renderText(report, options)
    case 'json':
      return renderJson(report)
    case 'github':
      return renderAnnotations(allFindings(report)) + renderText(report, { color: false })
    case 'sarif':
      return renderSarif(report)
    case 'junit':
      return renderJunit(report)
  }
}
