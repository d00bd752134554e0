/**
 * Relative path handling with buf's rules: paths in buf.yaml are slash-separated, cleaned like
 * Go's filepath.Clean, and must stay inside the directory that holds the config file.
 */
import path from 'node:path'

/** Cleans a path the way Go's filepath.Clean + ToSlash do ("" → ".", no trailing slash). */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const cleaned = path.posix.normalize(p.replaceAll('\\', '/'))
  if (cleaned.length > 1 && cleaned.endsWith('/')) return cleaned.slice(0, -1)
  return cleaned === './' ? '.' : cleaned
}

/**
 * Cleans a relative path and rejects absolute paths and paths that climb out of the context
 * directory; the message follows buf's ("../x: is outside the context directory").
 */
export function normalizeRelativePath(p: string): { path: string } | { error: string } {
  const cleaned = cleanPath(p)
  if (cleaned.startsWith('/')) return { error: `${p}: expected to be relative` }
  if (cleaned === '..' || cleaned.startsWith('../')) return { error: `${p}: is outside the context directory` }
  return { path: cleaned }
}

/** True when `dir` is `file` itself or one of its ancestors ("." contains everything). */
export function equalsOrContains(dir: string, file: string): boolean {
  if (dir === '.') return true
  return file === dir || file.startsWith(dir + '/')
}

/** True when `dir` strictly contains `file`. */
export function strictlyContains(dir: string, file: string): boolean {
  return dir !== file && equalsOrContains(dir, file)
}

/** `file` relative to `dir`; `dir` must equal or contain `file`. */
export function relativeTo(dir: string, file: string): string {
  if (dir === '.') return file
  if (file === dir) return '.'
  return file.slice(dir.length + 1)
}

/** Joins slash paths, treating "." as empty. */
export function joinPath(dir: string, rel: string): string {
  if (dir === '.' || dir === '') return rel
  if (rel === '.' || rel === '') return dir
  return `${dir}/${rel}`
}

/** True when any of `dirs` equals or contains `file`. */
export function anyEqualsOrContains(dirs: Iterable<string>, file: string): boolean {
  for (const dir of dirs) if (equalsOrContains(dir, file)) return true
  return false
}
