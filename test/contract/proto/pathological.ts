const P3 = 'syntax = "proto3";\n'

/** Inputs that would expose a super-linear parser or linker, by name, built at size n. */
export const PATHOLOGICAL_FAMILIES: [string, (n: number) => string][] = [
  ['line comments before a declaration', (n) => P3 + '// comment line\n'.repeat(n) + 'message M {}\n'],
  ['comment paragraphs separated by blank lines', (n) => P3 + '// paragraph\n\n'.repeat(n) + 'message M {}\n'],
  ['block comments on one line', (n) => P3 + '/* c */ '.repeat(n) + 'message M {}\n'],
  ['a long line of tabs and wide characters before an error', (n) => P3 + '/*' + '\t中é'.repeat(n) + '*/ message M { Missing m = 1; }\n'],
  ['many fields', (n) => P3 + 'message M {\n' + Array.from({ length: n }, (_, i) => `  int32 f${i} = ${i + 1};\n`).join('') + '}\n'],
  ['many nested messages', (n) => P3 + 'message M {\n' + Array.from({ length: n }, (_, i) => `  message N${i} { N${i} self = 1; }\n`).join('') + '}\n'],
  ['a long string with escapes', (n) => P3 + 'option java_package = "' + '\\x41\\101'.repeat(n) + '";\n'],
  ['many adjacent strings', (n) => P3 + 'option java_package = ' + '"a" '.repeat(n) + ';\n'],
  ['a large message literal', (n) => P3 + 'import "google/protobuf/descriptor.proto";\nextend google.protobuf.FileOptions { R r = 50000; }\nmessage R { repeated int32 a = 1; }\noption (r) = {' + ' a: 1'.repeat(n) + ' };\n'],
  ['a long dotted name', (n) => P3 + 'message M { ' + 'a.'.repeat(n) + 'B x = 1; }\n'],
  ['many reserved ranges', (n) => P3 + 'message M { reserved ' + Array.from({ length: n }, (_, i) => String(n - i)).join(', ') + '; }\n'],
  ['many enum values', (n) => P3 + 'enum E {\n' + Array.from({ length: n }, (_, i) => `  E_${i} = ${i};\n`).join('') + '}\n'],
  ['nesting near the limit, repeated', (n) => P3 + ('message A { '.repeat(90) + '}'.repeat(90) + '\n').repeat(Math.max(1, n / 90))]
]
