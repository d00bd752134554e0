/** Check run output.title / summary / text: at most this many characters each (GitHub's OpenAPI maxLength). */
export const CHECK_OUTPUT_MAX_CHARS = 65_535
/** An issue or PR comment body. */
export const COMMENT_MAX_CHARS = 65_536
/** Annotations one check-run request may carry; more need further "update a check run" calls. */
export const ANNOTATIONS_PER_REQUEST = 50
/** Annotation message and raw_details: "The maximum size is 64 KB." */
export const ANNOTATION_MESSAGE_MAX_BYTES = 64 * 1024
/** Annotation title: "The maximum size is 255 characters." */
export const ANNOTATION_TITLE_MAX_CHARS = 255
/** Commit status description; GitHub rejects longer ones. */
export const STATUS_DESCRIPTION_MAX_CHARS = 140

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with `note` (which says what was cut and where
 * the rest is). Counting UTF-16 units over-counts astral characters, so the result is within a
 * limit GitHub counts in characters. Cuts at a line break when one is near, never inside a
 * surrogate pair.
 */
export function truncateWithNote(text: string, max: number, note: (shown: number, total: number) => string): string {
  if (text.length <= max) return text
  // The note's length depends on the numbers in it; size it with the largest possible ones.
  const reserve = note(text.length, text.length).length
  let cut = Math.max(0, max - reserve)
  const lineBreak = text.lastIndexOf('\n', cut - 1)
  if (lineBreak > cut * 0.8) cut = lineBreak
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--
  return text.slice(0, cut) + note(cut, text.length)
}

/** The default note: what was shown of how much, and that nothing is lost. */
export const truncationNote =
  (limitLabel: string) =>
  (shown: number, total: number): string =>
    `\n\n_Truncated by release-gate: ${shown} of ${total} characters shown (${limitLabel}). The job summary and the JSON report have everything._\n`

/** Cuts to at most `maxBytes` of UTF-8, on a character boundary, marking the cut with an ellipsis. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  const ellipsis = '…'
  const budget = maxBytes - Buffer.byteLength(ellipsis)
  let bytes = 0
  let end = 0
  for (const ch of text) {
    const size = Buffer.byteLength(ch)
    if (bytes + size > budget) break
    bytes += size
    end += ch.length
  }
  return text.slice(0, end) + ellipsis
}

/** Cuts to at most `max` characters (code points), marking the cut with an ellipsis. */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…'
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
