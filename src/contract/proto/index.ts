/**
 * Protobuf compiler front end (pure TypeScript): lexer, parser, linker and buf-compatible
 * source locations for proto2, proto3 and editions 2023/2024.
 *
 *   parseFile(path, text): ProtoFile
 *     One file's syntax tree; throws ProtoError on the first syntax error. Nothing resolved.
 *
 *   compile(files | loader, { targets }): { files, byPath, errors, timings }
 *     Parses the targets and everything they import (well-known types are built in), then links:
 *     types, extendees, method types and option names resolved with protoc's scoping rules,
 *     options type-checked, features resolved, unused imports marked, semantic errors found.
 *     Never throws for bad input: every problem is a ProtoError in `errors` (sorted), positioned
 *     where buf reports it (compile errors count columns in UTF-8 bytes, as buf does).
 *     Input is a Map of import path → text, or a Loader (`directoryLoader([root, …])`, or your
 *     own `{ read(path) }`, e.g. over git objects). Paths are import paths: `google/type/money.proto`.
 *
 *   sourceLocations(file) / locationOf(file, path)
 *     buf's SourceCodeInfo for a linked file: descriptor path → span and comments (locationOf
 *     caches per file and returns the first location of a path). Every AST span getter returns
 *     the span buf records for the corresponding path, so rules can report `field.nameSpan` or
 *     `locationOf(file, [4, 0, 2, 1, 1])?.span` interchangeably.
 *
 * AST (ast.ts) in brief — lists are in descriptor order, synthetic elements included:
 *   ProtoFile: path, syntax, edition, package, syntaxDecl, packageDecl, imports[] (path, modifier,
 *     used, file), options[], messages[], enums[], services[], extends[], extensions[], features, source
 *   MessageDecl: name, fullName, parent, fields[], oneofs[], messages[], enums[], extends[],
 *     extensions[], extensionRanges[], reservedRanges[], reservedNames[], options[], synthetic, features
 *   FieldDecl: name, number, label, typeName, type, resolvedTypeName, resolvedMessage/Enum, jsonName,
 *     cardinality, descriptorLabel, oneof, mapEntry, group, extend, extendeeMessage, proto3Optional, features
 *   EnumDecl (values[], closed) / EnumValueDecl, OneofDecl, ServiceDecl / MethodDecl, ExtendDecl,
 *   RangeDecl, ReservedName, OptionDecl (nameText, nameParts, value tree, fieldPath), comments.
 *   Spans are getters: `span` on every node, plus nameSpan, numberSpan, typeSpan, labelSpan,
 *   optionsSpan, optionSpan(name), valueSpan, startSpan/endSpan, … — 1-based, end exclusive,
 *   columns in terminal cells like buf's lint/breaking findings.
 */
export * from './ast.js'
export { ProtoError } from './errors.js'
export { LineTable, type Span } from './span.js'
export { parseFile, MAX_FIELD_NUMBER } from './parser.js'
export { compile, type CompileOptions, type CompileResult } from './compile.js'
export { directoryLoader, listProtoFiles, type Loader } from './loader.js'
export { sourceLocations, locationOf, spanArray, type SourceLocation } from './source-info.js'
export { WELL_KNOWN_TYPES } from './wkt.js'
export { FEATURE_VALUES, SUPPORTED_EDITIONS, type FeatureName, type ResolvedFeatures } from './features.js'
