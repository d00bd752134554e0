import { STATUS_CODES } from 'node:http'
import { ApiException } from '@kubernetes/client-node'

export type KubeVerb = 'get' | 'list' | 'watch' | 'create' | 'patch' | 'delete'

/** What a failed call was doing; every KubeApiError message is built from it. */
export interface KubeOperation {
  verb: KubeVerb
  group: string
  plural: string
  /** e.g. 'status' for PATCH .../rollouts/NAME/status */
  subresource?: string
  namespace: string
  name?: string
}

/**
 * A failed Kubernetes API call. `code` is the HTTP status (0 when no response arrived) and `reason` the
 * Status reason the server sent (Forbidden, Conflict, AlreadyExists, NotFound, Invalid, Gone, ...).
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError'
  readonly code: number
  readonly reason: string
  readonly operation: KubeOperation
  /** The server's own message (Status.message), or the transport error's message. */
  readonly serverMessage: string

  constructor(operation: KubeOperation, code: number, reason: string, serverMessage: string, options?: { cause?: unknown }) {
    super(describe(operation, code, reason, serverMessage), options)
    this.operation = operation
    this.code = code
    this.reason = reason
    this.serverMessage = serverMessage
  }

  /** 409: the object exists already (create) or was changed since the resourceVersion sent (patch/update). */
  get isConflict(): boolean {
    return this.code === 409
  }

  get isNotFound(): boolean {
    return this.code === 404
  }

  get isForbidden(): boolean {
    return this.code === 403
  }
}

/** "rollouts/status", the form RBAC rules use. */
export function rbacResource(op: Pick<KubeOperation, 'plural' | 'subresource'>): string {
  return op.subresource ? `${op.plural}/${op.subresource}` : op.plural
}

function describe(op: KubeOperation, code: number, reason: string, serverMessage: string): string {
  const target = `${op.plural}.${op.group}${op.subresource ? `/${op.subresource}` : ''}${op.name ? ` "${op.name}"` : ''}`
  const what = `cannot ${op.verb} ${target} in namespace ${op.namespace}`
  switch (code) {
    case 0:
      return `${what}: no response from the API server: ${serverMessage}`
    case 401:
      return `${what}: the API server rejected the credentials (401 Unauthorized); check the kubeconfig user`
    case 403: {
      const user = /User "([^"]+)"/.exec(serverMessage)?.[1]
      return `${what}: add verb ${op.verb} on resource ${rbacResource(op)} (apiGroups: ["${op.group}"]) to the Role` +
        (user ? ` bound to user "${user}"` : '')
    }
    case 409:
      return reason === 'AlreadyExists'
        ? `${what}: it already exists (409 AlreadyExists)`
        : `${what}: it was modified since it was read (409 Conflict); read it again and retry`
    default:
      return `${what} (${code} ${reason || 'Error'}): ${serverMessage}`
  }
}

interface StatusBody {
  reason?: string
  message?: string
}

function parseStatus(body: unknown): StatusBody {
  let value: unknown = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return { message: body }
    }
  }
  return typeof value === 'object' && value !== null ? (value as StatusBody) : {}
}

/** Turns whatever a client-node call threw into a KubeApiError naming the operation. */
export function toKubeApiError(operation: KubeOperation, error: unknown): KubeApiError {
  if (error instanceof KubeApiError) return error
  if (error instanceof ApiException) {
    // Codes the OpenAPI spec lists (401 for every call) come without a body, only the generator's own message.
    const status = parseStatus(error.body)
    const generatorMessage = /^Message: (.*)$/m.exec(error.message)?.[1] ?? ''
    const reason = status.reason ?? STATUS_CODES[error.code]?.replace(/\s/g, '') ?? ''
    return new KubeApiError(operation, error.code, reason, status.message ?? generatorMessage, { cause: error })
  }
  // A watch that could not open reports a plain Error with the HTTP status in statusCode.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode
  const message = error instanceof Error ? error.message : String(error)
  if (typeof statusCode === 'number') return new KubeApiError(operation, statusCode, message, message, { cause: error })
  // fetch() reports only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is in its cause.
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause
  const causeText = [cause?.code, cause?.message].filter(Boolean).join(': ')
  return new KubeApiError(operation, 0, '', causeText ? `${message} (${causeText})` : message, { cause: error })
}
