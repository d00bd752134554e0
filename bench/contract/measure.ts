/** What GNU `time -v` reports about one process (and the children it waited for). */
export interface ProcessStats {
  wallSeconds: number
  userSeconds: number
  systemSeconds: number
  maxRssKb: number
}

/** Parses `time -v` output; "Elapsed (wall clock) time" is h:mm:ss or m:ss.ss. */
export function parseGnuTime(text: string, source: string): ProcessStats {
  const field = (label: string): string => {
    const line = text.split('\n').find((l) => l.trim().startsWith(label))
    if (!line) throw new Error(`${source}: no "${label}" line in GNU time output`)
    return line.slice(line.lastIndexOf(': ') + 2).trim()
  }
  const wall = field('Elapsed (wall clock) time')
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0)
  const stats = {
    wallSeconds: wall,
    userSeconds: Number(field('User time (seconds)')),
    systemSeconds: Number(field('System time (seconds)')),
    maxRssKb: Number(field('Maximum resident set size (kbytes)'))
  }
  for (const [key, value] of Object.entries(stats)) if (!Number.isFinite(value)) throw new Error(`${source}: ${key} is not a number`)
  return stats
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
