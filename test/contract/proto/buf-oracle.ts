/**
 * buf 1.75 (the dev dependency) as an oracle: builds images and lint reports for the
 * differential tests and compares them with what the proto front end produces.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sourceLocations, spanArray } from '../../../src/contract/proto/source-info.js'
import type { MessageDecl, ProtoFile } from '../../../src/contract/proto/index.js'

/** The native buf binary of this platform, or the npm wrapper; undefined when not installed. */
export function findBuf(): string | undefined {
  const require = createRequire(import.meta.url)
  const arch = process.platform === 'linux' && process.arch === 'arm64' ? 'aarch64' : process.arch
  for (const pkg of [`@bufbuild/buf-${process.platform}-${arch}`, '@bufbuild/buf']) {
    try {
      const bin = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'buf')
      if (existsSync(bin)) return bin
    } catch {
      // not installed
    }
  }
  return undefined
}

/** Runs `buf build` in `root` (a module) on `paths` and returns the image as JSON. */
export function bufImage(buf: string, root: string, paths: readonly string[]): { file: ImageFile[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'proto-oracle-'))
  try {
    const out = path.join(dir, 'image.json')
    execFileSync(buf, ['build', '.', ...paths.flatMap((p) => ['--path', p]), '-o', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
    return JSON.parse(readFileSync(out, 'utf8')) as { file: ImageFile[] }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `path:line:col:endLine:endCol` of each IMPORT_USED finding of `buf lint` on `paths`. */
export function bufUnusedImports(buf: string, root: string, paths: readonly string[]): string[] {
  const config = JSON.stringify({ version: 'v2', lint: { use: ['IMPORT_USED'] } })
  let out: string
  try {
    out = execFileSync(buf, ['lint', '.', ...paths.flatMap((p) => ['--path', p]), '--error-format', 'json', '--config', config], { cwd: root, encoding: 'utf8' })
  } catch (e) {
    // Exit code 100 means "findings"; they are on stdout.
    out = String((e as { stdout?: string }).stdout ?? '')
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { path: string; start_line: number; start_column: number; end_line: number; end_column: number })
    .map((j) => `${j.path}:${j.start_line}:${j.start_column}:${j.end_line}:${j.end_column}`)
    .sort()
}

/** The compile errors buf reports for a one-file module, as [line, col, endLine, endCol], in buf's order. */
export function bufErrors(buf: string, text: string): [number, number, number, number][] {
  const dir = mkdtempSync(path.join(tmpdir(), 'proto-oracle-'))
  try {
    writeFileSync(path.join(dir, 'buf.yaml'), 'version: v2\n')
    writeFileSync(path.join(dir, 'a.proto'), text)
    try {
      execFileSync(buf, ['build', '--error-format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      return []
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? '')
      return stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { start_line: number; start_column: number; end_line: number; end_column: number })
        .map((j) => [j.start_line, j.start_column, j.end_line, j.end_column])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

interface ImageLocation {
  path?: number[]
  span: number[]
  leadingComments?: string
  trailingComments?: string
  leadingDetachedComments?: string[]
}
interface ImageField {
  name: string
  jsonName?: string
  typeName?: string
  type: string
  label: string
  oneofIndex?: number
}
interface ImageMessage {
  name: string
  field?: ImageField[]
  nestedType?: ImageMessage[]
}
export interface ImageFile {
  name: string
  messageType?: ImageMessage[]
  sourceCodeInfo?: { location: ImageLocation[] }
}

function locationKey(path: readonly number[], span: readonly number[], leading: string | undefined, trailing: string | undefined, detached: readonly string[]): string {
  return JSON.stringify([path, span, leading ?? null, trailing ?? null, detached])
}

/**
 * Differences between buf's descriptor of a file and ours: every SourceCodeInfo location (path,
 * span, comments; compared as multisets) and, per field, json_name, type, type name, label and
 * oneof index. Empty when they agree.
 */
export function diffWithImage(image: ImageFile, file: ProtoFile): string[] {
  const diffs: string[] = []
  const theirs = new Map<string, number>()
  for (const l of image.sourceCodeInfo?.location ?? []) {
    const k = locationKey(l.path ?? [], l.span, l.leadingComments, l.trailingComments, l.leadingDetachedComments ?? [])
    theirs.set(k, (theirs.get(k) ?? 0) + 1)
  }
  const ours = new Map<string, number>()
  for (const l of sourceLocations(file)) {
    const k = locationKey(l.path, spanArray(l.span), l.leadingComments, l.trailingComments, l.leadingDetachedComments)
    ours.set(k, (ours.get(k) ?? 0) + 1)
  }
  for (const [k, n] of theirs) if ((ours.get(k) ?? 0) < n) diffs.push(`${file.path}: missing location ${k}`)
  for (const [k, n] of ours) if ((theirs.get(k) ?? 0) < n) diffs.push(`${file.path}: extra location ${k}`)

  const compareMessages = (msgs: readonly ImageMessage[], decls: readonly MessageDecl[]) => {
    msgs.forEach((m, i) => {
      const d = decls[i]
      if (d?.name !== m.name) {
        diffs.push(`${file.path}: message ${i} is ${d?.name} instead of ${m.name}`)
        return
      }
      ;(m.field ?? []).forEach((f, j) => {
        const g = d.fields[j]
        const got = g && {
          name: g.name,
          jsonName: g.jsonName,
          typeName: g.resolvedTypeName,
          type: `TYPE_${g.type?.toUpperCase()}`,
          label: `LABEL_${g.descriptorLabel.toUpperCase()}`,
          oneofIndex: g.oneof ? d.oneofs.indexOf(g.oneof) : undefined
        }
        const want = { name: f.name, jsonName: f.jsonName, typeName: f.typeName, type: f.type, label: f.label, oneofIndex: f.oneofIndex }
        if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${file.path}: field ${d.fullName}.${f.name}: ours ${JSON.stringify(got)} buf ${JSON.stringify(want)}`)
      })
      compareMessages(m.nestedType ?? [], d.messages)
    })
  }
  compareMessages(image.messageType ?? [], file.messages)
  return diffs
}
