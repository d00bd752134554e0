/**
 * buf's breaking rules (v2 config), in the order `buf config ls-breaking-rules` lists them,
 * followed by the deprecated rule buf still accepts in configs.
 */

import type { BreakingRule } from './context.js'
import { extensionNoDelete } from './extension_no_delete.js'
import { serviceNoDelete } from './service_no_delete.js'
import { enumNoDelete } from './enum_no_delete.js'
import { fileNoDelete } from './file_no_delete.js'
import { messageNoDelete } from './message_no_delete.js'
import { enumSameType } from './enum_same_type.js'
import { fieldSameCardinality } from './field_same_cardinality.js'
import { fieldSameCppStringType } from './field_same_cpp_string_type.js'
import { fieldSameJavaUtf8Validation } from './field_same_java_utf8_validation.js'
import { fieldSameJstype } from './field_same_jstype.js'
import { fieldSameUtf8Validation } from './field_same_utf8_validation.js'
import { fileSameCcEnableArenas } from './file_same_cc_enable_arenas.js'
import { fileSameCcGenericServices } from './file_same_cc_generic_services.js'
import { fileSameCsharpNamespace } from './file_same_csharp_namespace.js'
import { fileSameGoPackage } from './file_same_go_package.js'
import { fileSameJavaGenericServices } from './file_same_java_generic_services.js'
import { fileSameJavaMultipleFiles } from './file_same_java_multiple_files.js'
import { fileSameJavaOuterClassname } from './file_same_java_outer_classname.js'
import { fileSameJavaPackage } from './file_same_java_package.js'
import { fileSameObjcClassPrefix } from './file_same_objc_class_prefix.js'
import { fileSameOptimizeFor } from './file_same_optimize_for.js'
import { fileSamePhpClassPrefix } from './file_same_php_class_prefix.js'
import { fileSamePhpMetadataNamespace } from './file_same_php_metadata_namespace.js'
import { fileSamePhpNamespace } from './file_same_php_namespace.js'
import { fileSamePyGenericServices } from './file_same_py_generic_services.js'
import { fileSameRubyPackage } from './file_same_ruby_package.js'
import { fileSameSwiftPrefix } from './file_same_swift_prefix.js'
import { rpcNoDelete } from './rpc_no_delete.js'
import { enumValueNoDelete } from './enum_value_no_delete.js'
import { extensionMessageNoDelete } from './extension_message_no_delete.js'
import { fieldNoDelete } from './field_no_delete.js'
import { fieldSameType } from './field_same_type.js'
import { fileSameSyntax } from './file_same_syntax.js'
import { messageNoRemoveStandardDescriptorAccessor } from './message_no_remove_standard_descriptor_accessor.js'
import { oneofNoDelete } from './oneof_no_delete.js'
import { enumSameJsonFormat } from './enum_same_json_format.js'
import { enumValueSameName } from './enum_value_same_name.js'
import { fieldSameJsonName } from './field_same_json_name.js'
import { fieldSameName } from './field_same_name.js'
import { messageSameJsonFormat } from './message_same_json_format.js'
import { fieldSameDefault } from './field_same_default.js'
import { fieldSameOneof } from './field_same_oneof.js'
import { fileSamePackage } from './file_same_package.js'
import { messageSameRequiredFields } from './message_same_required_fields.js'
import { reservedEnumNoDelete } from './reserved_enum_no_delete.js'
import { reservedMessageNoDelete } from './reserved_message_no_delete.js'
import { rpcSameClientStreaming } from './rpc_same_client_streaming.js'
import { rpcSameIdempotencyLevel } from './rpc_same_idempotency_level.js'
import { rpcSameRequestType } from './rpc_same_request_type.js'
import { rpcSameResponseType } from './rpc_same_response_type.js'
import { rpcSameServerStreaming } from './rpc_same_server_streaming.js'
import { packageEnumNoDelete } from './package_enum_no_delete.js'
import { packageExtensionNoDelete } from './package_extension_no_delete.js'
import { packageMessageNoDelete } from './package_message_no_delete.js'
import { packageNoDelete } from './package_no_delete.js'
import { packageServiceNoDelete } from './package_service_no_delete.js'
import { enumValueNoDeleteUnlessNameReserved } from './enum_value_no_delete_unless_name_reserved.js'
import { fieldNoDeleteUnlessNameReserved } from './field_no_delete_unless_name_reserved.js'
import { fieldWireJsonCompatibleCardinality } from './field_wire_json_compatible_cardinality.js'
import { fieldWireJsonCompatibleType } from './field_wire_json_compatible_type.js'
import { enumValueNoDeleteUnlessNumberReserved } from './enum_value_no_delete_unless_number_reserved.js'
import { fieldNoDeleteUnlessNumberReserved } from './field_no_delete_unless_number_reserved.js'
import { fieldWireCompatibleCardinality } from './field_wire_compatible_cardinality.js'
import { fieldWireCompatibleType } from './field_wire_compatible_type.js'
import { messageSameMessageSetWireFormat } from './message_same_message_set_wire_format.js'

export const breakingRules: readonly BreakingRule[] = [
  extensionNoDelete,
  serviceNoDelete,
  enumNoDelete,
  fileNoDelete,
  messageNoDelete,
  enumSameType,
  fieldSameCardinality,
  fieldSameCppStringType,
  fieldSameJavaUtf8Validation,
  fieldSameJstype,
  fieldSameUtf8Validation,
  fileSameCcEnableArenas,
  fileSameCcGenericServices,
  fileSameCsharpNamespace,
  fileSameGoPackage,
  fileSameJavaGenericServices,
  fileSameJavaMultipleFiles,
  fileSameJavaOuterClassname,
  fileSameJavaPackage,
  fileSameObjcClassPrefix,
  fileSameOptimizeFor,
  fileSamePhpClassPrefix,
  fileSamePhpMetadataNamespace,
  fileSamePhpNamespace,
  fileSamePyGenericServices,
  fileSameRubyPackage,
  fileSameSwiftPrefix,
  rpcNoDelete,
  enumValueNoDelete,
  extensionMessageNoDelete,
  fieldNoDelete,
  fieldSameType,
  fileSameSyntax,
  messageNoRemoveStandardDescriptorAccessor,
  oneofNoDelete,
  enumSameJsonFormat,
  enumValueSameName,
  fieldSameJsonName,
  fieldSameName,
  messageSameJsonFormat,
  fieldSameDefault,
  fieldSameOneof,
  fileSamePackage,
  messageSameRequiredFields,
  reservedEnumNoDelete,
  reservedMessageNoDelete,
  rpcSameClientStreaming,
  rpcSameIdempotencyLevel,
  rpcSameRequestType,
  rpcSameResponseType,
  rpcSameServerStreaming,
  packageEnumNoDelete,
  packageExtensionNoDelete,
  packageMessageNoDelete,
  packageNoDelete,
  packageServiceNoDelete,
  enumValueNoDeleteUnlessNameReserved,
  fieldNoDeleteUnlessNameReserved,
  fieldWireJsonCompatibleCardinality,
  fieldWireJsonCompatibleType,
  enumValueNoDeleteUnlessNumberReserved,
  fieldNoDeleteUnlessNumberReserved,
  fieldWireCompatibleCardinality,
  fieldWireCompatibleType,
  messageSameMessageSetWireFormat
]

export { emit, firstLoc, type BreakingContext, type BreakingRule, type Where } from './context.js'
export { deletedElementParent, Pairs, valuesByNumber, type Pair } from './pairing.js'
