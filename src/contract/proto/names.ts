/** Name conversions protoc applies; kept byte-for-byte compatible with descriptor.cc. */

/** Default json_name: drop each `_` and upper-case the character after it (ASCII only). */
export function defaultJsonName(name: string): string {
  let under = name.indexOf('_')
  if (under < 0) return name
  const parts: string[] = [name.slice(0, under)]
  for (;;) {
    while (under < name.length && name.charCodeAt(under) === 95) under++
    if (under >= name.length) break
    const next = name.indexOf('_', under)
    const end = next < 0 ? name.length : next
    const c = name.charCodeAt(under)
    parts.push(c >= 97 && c <= 122 ? String.fromCharCode(c - 32) + name.slice(under + 1, end) : name.slice(under, end))
    if (next < 0) break
    under = next
  }
  return parts.join('')
}

/** The synthetic message name of a map field: `label_values` → `LabelValuesEntry`. */
export function mapEntryName(fieldName: string): string {
  let out = ''
  let upperNext = true
  for (let i = 0; i < fieldName.length; i++) {
    const c = fieldName[i]!
    if (c === '_') upperNext = true
    else if (upperNext) {
      out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c
      upperNext = false
    } else out += c
  }
  return out + 'Entry'
}
