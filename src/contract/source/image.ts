/**
 * A buf image in JSON form (`buf build -o image.json`) as a breaking input: its descriptors
 * plus the source locations buf itself reports, so a compare against an image locates findings
 * exactly as buf does.
 */

import { FILE_OPTION_NUMBERS, type FileOptionName, type Loc, type ProtoFile } from '../rules/breaking/model.js'
import { buildFiles, type DescField, type DescFile, type DescMessage, type DescEnum } from './descriptor.js'

interface ImageFile extends DescFile {
  sourceCodeInfo?: { location?: { path?: number[]; span: number[] }[] }
  bufExtension?: { isImport?: boolean }
}

export class ImageFormatError extends Error {
  override readonly name = 'ImageFormatError'
}

/** Parse a JSON buf image (an object with a `file` array of FileDescriptorProtos). */
export function readBufImage(json: string | { file?: unknown }): ProtoFile[] {
  const image = typeof json === 'string' ? (JSON.parse(json) as { file?: unknown }) : json
  if (!Array.isArray(image.file)) throw new ImageFormatError('not a buf image: expected an object with a "file" array (buf build -o image.json)')
  return buildFiles((image.file as ImageFile[]).map(withLocations))
}

function withLocations(file: ImageFile): DescFile {
  const spans = new Map<string, Loc>()
  for (const location of file.sourceCodeInfo?.location ?? []) {
    const key = (location.path ?? []).join(',')
    if (!spans.has(key)) spans.set(key, toLoc(location.span))
  }
  const at = (...path: number[]): Loc | undefined => spans.get(path.join(','))
  const options: Partial<Record<FileOptionName, Loc>> = {}
  for (const [name, number] of Object.entries(FILE_OPTION_NUMBERS) as [FileOptionName, number][]) {
    const loc = at(8, number)
    if (loc) options[name] = loc
  }
  const located: DescFile = {
    ...file,
    isImport: file.bufExtension?.isImport === true,
    locs: { ...(at(2) ? { package: at(2) } : {}), ...(at(12) ? { syntax: at(12) } : {}), options },
    messageType: (file.messageType ?? []).map((message, i) => locateMessage(message, [4, i], at)),
    enumType: (file.enumType ?? []).map((e, i) => locateEnum(e, [5, i], at)),
    extension: (file.extension ?? []).map((field, i) => locateField(field, [7, i], at)),
    service: (file.service ?? []).map((service, i) => ({
      ...service,
      locs: { self: at(6, i) },
      method: (service.method ?? []).map((method, j) => ({
        ...method,
        locs: {
          self: at(6, i, 2, j),
          inputType: at(6, i, 2, j, 2),
          outputType: at(6, i, 2, j, 3),
          idempotencyLevel: at(6, i, 2, j, 4, 34)
        }
      }))
    }))
  }
  return located
}

type At = (...path: number[]) => Loc | undefined

function locateMessage(message: DescMessage, path: number[], at: At): DescMessage {
  return {
    ...message,
    locs: { self: at(...path), noStandardDescriptorAccessor: at(...path, 7, 2), jsonFormat: at(...path, 7, 12, 6) },
    field: (message.field ?? []).map((field, i) => locateField(field, [...path, 2, i], at)),
    extension: (message.extension ?? []).map((field, i) => locateField(field, [...path, 6, i], at)),
    nestedType: (message.nestedType ?? []).map((nested, i) => locateMessage(nested, [...path, 3, i], at)),
    enumType: (message.enumType ?? []).map((e, i) => locateEnum(e, [...path, 4, i], at))
  }
}

function locateEnum(enumType: DescEnum, path: number[], at: At): DescEnum {
  return {
    ...enumType,
    locs: { self: at(...path), enumType: at(...path, 3, 7, 2), jsonFormat: at(...path, 3, 7, 6) },
    value: (enumType.value ?? []).map((value, i) => ({ ...value, locs: { self: at(...path, 2, i), number: at(...path, 2, i, 2) } }))
  }
}

function locateField(field: DescField, path: number[], at: At): DescField {
  return {
    ...field,
    locs: {
      self: at(...path),
      name: at(...path, 1),
      type: at(...path, 5),
      typeName: at(...path, 6),
      jsonName: at(...path, 10),
      default: at(...path, 7),
      ctype: at(...path, 8, 1),
      jstype: at(...path, 8, 6),
      utf8Validation: at(...path, 8, 21, 4),
      // (pb.cpp) is FeatureSet extension 1000 with string_type = 2; (pb.java) is 1001 with utf8_validation = 2.
      cppStringType: at(...path, 8, 21, 1000, 2),
      javaUtf8Validation: at(...path, 8, 21, 1001, 2)
    }
  }
}

/** Source info spans are 0-based `[startLine, startCol, endLine, endCol]`, or 3 items on one line. */
function toLoc(span: number[]): Loc {
  const [startLine = 0, startColumn = 0] = span
  const [endLine, endColumn] = span.length === 3 ? [startLine, span[2]!] : [span[2] ?? startLine, span[3] ?? startColumn]
  return { line: startLine + 1, column: startColumn + 1, endLine: endLine + 1, endColumn: endColumn + 1 }
}
