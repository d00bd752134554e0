import { Watch, type KubeConfig } from '@kubernetes/client-node'
import type { KubeList, KubeObject, ListOptions, ResourceType } from './client.js'
import { toKubeApiError, type KubeApiError, type KubeOperation } from './errors.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType
  object: T
  /** True when the event was derived from a list (the initial list, or the re-list after 410 Gone). */
  fromList: boolean
}

export type WatchHandler<T extends KubeObject = KubeObject> = (event: WatchEvent<T>) => void

export interface WatchOptions extends ListOptions {
  /** Start after this resourceVersion (no initial list). Default: list first and report each object as ADDED. */
  resourceVersion?: string
  /**
   * Each watch request ends server-side after this many seconds and is resumed from the last resourceVersion.
   * Default 25: client-node aborts a watch that received nothing for 30 s, and a clean close is cheaper than that.
   */
  timeoutSeconds?: number
  /** First reconnect delay after an error, doubled per failure up to maxRetryDelayMs and reset by any event. */
  retryDelayMs?: number
  maxRetryDelayMs?: number
  /** Called before each reconnect caused by an error (a dropped connection, a 5xx). */
  onRetry?: (error: KubeApiError) => void
}

export interface WatchStats {
  /** Watch requests opened. */
  connects: number
  /** Re-lists after the server answered 410 Gone (the resourceVersion was too old). */
  resyncs: number
  /** Reconnects caused by errors. */
  retries: number
}

export interface ResumableWatch {
  /**
   * Resolves after stop(). Rejects with a KubeApiError when retrying cannot help (401, 403, 404), or with the
   * handler's own error when the handler throws; the watch has stopped in both cases.
   */
  readonly done: Promise<void>
  /** The resourceVersion the next (re)connect starts from. */
  readonly resourceVersion: string
  readonly stats: Readonly<WatchStats>
  stop(): void
}

const PERMANENT_CODES = new Set([401, 403, 404])

/**
 * List+watch of one namespaced custom resource type that survives what a long CI job meets: client-node's 30 s
 * idle abort, server-side timeouts and dropped connections (resume from the last resourceVersion seen, bookmarks
 * included), and 410 Gone (re-list, then report the difference to what was seen as ADDED/MODIFIED/DELETED).
 */
export function watchCustomObjects<T extends KubeObject>(kubeConfig: KubeConfig, type: ResourceType, namespace: string,
  handler: WatchHandler<T>, options: WatchOptions, list: (options: ListOptions) => Promise<KubeList<T>>): ResumableWatch {
  const operation: KubeOperation = { verb: 'watch', group: type.group, plural: type.plural, namespace }
  const path = `/apis/${type.group}/${type.version}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
  const selectors: ListOptions = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }
  const initialDelay = options.retryDelayMs ?? 250
  const maxDelay = options.maxRetryDelayMs ?? 10_000
  const watcher = new Watch(kubeConfig)
  const known = new Map<string, T>()
  const stats: WatchStats = { connects: 0, resyncs: 0, retries: 0 }

  let resourceVersion = options.resourceVersion ?? ''
  let stopped = false
  let delay = initialDelay
  let current: AbortController | undefined
  let timer: NodeJS.Timeout | undefined
  let resolveDone!: () => void
  let rejectDone!: (error: unknown) => void
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve
    rejectDone = reject
  })
  // A caller that only calls stop() must not see an unhandled rejection; awaiting `done` still sees it.
  done.catch(() => undefined)

  const finish = (error?: unknown) => {
    if (stopped) return
    stopped = true
    clearTimeout(timer)
    current?.abort()
    if (error === undefined) resolveDone()
    else rejectDone(error)
  }

  const deliver = (eventType: WatchEventType, object: T, fromList: boolean) => {
    if (eventType === 'DELETED') known.delete(object.metadata.name)
    else known.set(object.metadata.name, object)
    try {
      handler({ type: eventType, object, fromList })
    } catch (error) {
      finish(error)
    }
  }

  const relist = async () => {
    const fresh = await list(selectors)
    const names = new Set(fresh.items.map((item) => item.metadata.name))
    const vanished = [...known.values()].filter((object) => !names.has(object.metadata.name))
    for (const item of fresh.items) {
      if (stopped) return
      const previous = known.get(item.metadata.name)
      if (!previous) deliver('ADDED', item, true)
      else if (previous.metadata.resourceVersion !== item.metadata.resourceVersion) deliver('MODIFIED', item, true)
    }
    for (const object of vanished) if (!stopped) deliver('DELETED', object, true)
    resourceVersion = fresh.resourceVersion
  }

  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void connect(), ms)
  }

  const resync = () => {
    stats.resyncs++
    resourceVersion = ''
    schedule(0)
  }

  const retry = (error: unknown) => {
    if (stopped) return
    const apiError = toKubeApiError(operation, error)
    if (PERMANENT_CODES.has(apiError.code)) return finish(apiError)
    if (apiError.code === 410) return resync()
    stats.retries++
    options.onRetry?.(apiError)
    schedule(delay)
    delay = Math.min(delay * 2, maxDelay)
  }

  const connect = async () => {
    if (stopped) return
    if (!resourceVersion) {
      try {
        await relist()
      } catch (error) {
        return retry(error)
      }
      if (stopped) return
    }
    let gone = false
    let streamError: unknown
    const onEvent = (phase: string, object: any) => {
      if (stopped) return
      if (phase === 'ERROR') {
        // A Status object; 410 means our resourceVersion is older than the server's history.
        if (object?.code === 410) gone = true
        else streamError = Object.assign(new Error(object?.message ?? 'watch error event'), { statusCode: object?.code })
        return
      }
      const version: unknown = object?.metadata?.resourceVersion
      if (typeof version === 'string' && version) resourceVersion = version
      delay = initialDelay
      if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') deliver(phase, object as T, false)
    }
    const onDone = (error: unknown) => {
      if (stopped) return
      if (gone || (error as { statusCode?: number } | null)?.statusCode === 410) resync()
      else if (error || streamError) retry(error ?? streamError)
      else schedule(0) // the server ended the request (timeoutSeconds): resume where we are
    }
    stats.connects++
    let controller: AbortController
    try {
      controller = await watcher.watch(path, {
        resourceVersion, allowWatchBookmarks: true, timeoutSeconds: options.timeoutSeconds ?? 25, ...selectors,
      }, onEvent, onDone)
    } catch (error) {
      // Thrown before any request was sent (no current cluster, credentials plugin failed): not retryable.
      return finish(toKubeApiError(operation, error))
    }
    current = controller
    if (stopped) controller.abort()
  }

  void connect()
  return {
    done,
    get resourceVersion() {
      return resourceVersion
    },
    stats,
    stop: () => finish(),
  }
}
