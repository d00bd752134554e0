import type { Comments } from '../../proto/ast.js'

/** Comment lines starting with this do not count as documentation (buf's comment_excludes for lint). */
export const COMMENT_IGNORE_PREFIX = 'buf:lint:ignore'

/** True when the leading comment has a non-empty line that is not a `buf:lint:ignore` directive. */
export function hasDocumentation(comments: Comments): boolean {
  for (const line of (comments.leading ?? '').split('\n')) {
    const trimmed = line.trim()
    if (trimmed !== '' && !trimmed.startsWith(COMMENT_IGNORE_PREFIX)) return true
  }
  return false
}
