/**
 * A fast look at a .proto file's header: its package and imports, read without parsing the
 * file (comments and string literals are skipped so their text cannot fake a statement). Scoped
 * compares use it on every file to find what a change can reach.
 */

export interface FileHeader {
  package: string
  imports: { path: string; public: boolean }[]
}

const SLASH = 47
const STAR = 42
const NEWLINE = 10
const QUOTE = 34
const APOSTROPHE = 39
const BACKSLASH = 92
const OPEN_BRACE = 123
const CLOSE_BRACE = 125

/**
 * The top-level `package` and `import` statements. Bodies (`{ … }`) are skipped, so a string
 * inside an option or message cannot be mistaken for an import.
 */
export function scanHeader(text: string): FileHeader {
  const header: FileHeader = { package: '', imports: [] }
  const statement: string[] = []
  let depth = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? n : end + 1
      continue
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
      continue
    }
    if (c === QUOTE || c === APOSTROPHE) {
      // Only top-level strings (import paths) are kept; inside bodies the literal is just skipped.
      const keep = depth === 0
      let j = i + 1
      let value = ''
      while (j < n) {
        const d = text.charCodeAt(j)
        if (d === c || d === NEWLINE) break
        if (d === BACKSLASH) {
          if (keep) value += text[j + 1] ?? ''
          j += 2
          continue
        }
        if (keep) value += text[j]
        j++
      }
      if (keep) statement.push(JSON.stringify(value))
      i = j + 1
      continue
    }
    if (c === OPEN_BRACE) {
      depth++
      statement.length = 0
      i++
      continue
    }
    if (c === CLOSE_BRACE) {
      depth = Math.max(0, depth - 1)
      statement.length = 0
      i++
      continue
    }
    if (depth > 0) {
      i++
      continue
    }
    if (c === 59 /* ; */) {
      finishStatement(statement, header)
      statement.length = 0
      i++
      continue
    }
    if (isWordChar(c)) {
      let j = i + 1
      while (j < n && isWordChar(text.charCodeAt(j))) j++
      statement.push(text.slice(i, j))
      i = j
      continue
    }
    if (c > 32) statement.push(text[i]!)
    i++
  }
  return header
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46
}

function finishStatement(tokens: string[], header: FileHeader): void {
  const [keyword, ...rest] = tokens
  if (keyword === 'package') {
    header.package = rest.join('')
  } else if (keyword === 'import') {
    const isPublic = rest[0] === 'public'
    const literal = rest.find((token) => token.startsWith('"'))
    if (literal !== undefined) header.imports.push({ path: JSON.parse(literal) as string, public: isPublic })
  }
}
