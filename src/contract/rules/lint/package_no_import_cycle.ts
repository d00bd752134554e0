import type { ImportDecl, ProtoFile } from '../../proto/ast.js'
import { spanIn, type LintRule } from './context.js'

export const packageNoImportCycle: LintRule = {
  id: 'PACKAGE_NO_IMPORT_CYCLE',
  kind: 'lint',
  categories: ['MINIMAL', 'BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that packages do not have import cycles.',
  check({ files }, report) {
    const own = new Set(files)
    // Package edges come from every file of the build (imports too), as in buf; findings only
    // land on the module's own files.
    const graph = new Map<string, Map<string, { file: ProtoFile; imp: ImportDecl }[]>>()
    for (const file of importClosure(files)) {
      const pkg = file.package
      if (pkg === '') continue
      let edges = graph.get(pkg)
      if (!edges) graph.set(pkg, (edges = new Map()))
      for (const imp of file.imports) {
        const target = imp.file?.package
        if (target === undefined || target === '' || target === pkg) continue
        let via = edges.get(target)
        if (!via) edges.set(target, (via = []))
        via.push({ file, imp })
      }
    }
    const component = stronglyConnectedComponents(graph)
    for (const [pkg, edges] of graph) {
      for (const [target, via] of edges) {
        // P imports Q, and Q reaches P back: the import is part of a cycle.
        if (component.get(pkg) !== component.get(target)) continue
        const cycle = [pkg, ...shortestPath(graph, target, pkg)]
        for (const { file, imp } of via) {
          if (own.has(file)) report(spanIn(file, imp.span), `Package import cycle: ${cycle.join(' -> ')}`, [imp])
        }
      }
    }
  }
}

function importClosure(files: readonly ProtoFile[]): Set<ProtoFile> {
  const seen = new Set<ProtoFile>(files)
  const stack = [...files]
  while (stack.length > 0) {
    for (const imp of stack.pop()!.imports) {
      if (imp.file && !seen.has(imp.file)) {
        seen.add(imp.file)
        stack.push(imp.file)
      }
    }
  }
  return seen
}

/** Tarjan's algorithm without recursion: package → component number. */
function stronglyConnectedComponents(graph: Map<string, Map<string, unknown>>): Map<string, number> {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const component = new Map<string, number>()
  let counter = 0
  let components = 0
  for (const root of graph.keys()) {
    if (index.has(root)) continue
    const work: { node: string; next: Iterator<string> }[] = []
    const open = (node: string) => {
      index.set(node, counter)
      low.set(node, counter)
      counter++
      stack.push(node)
      onStack.add(node)
      work.push({ node, next: (graph.get(node)?.keys() ?? [].values()) as Iterator<string> })
    }
    open(root)
    while (work.length > 0) {
      const top = work[work.length - 1]!
      const step = top.next.next()
      if (!step.done) {
        const next = step.value
        if (!index.has(next)) open(next)
        else if (onStack.has(next)) low.set(top.node, Math.min(low.get(top.node)!, index.get(next)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!))
      if (low.get(top.node) === index.get(top.node)) {
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.set(member, components)
        } while (member !== top.node)
        components++
      }
    }
  }
  return component
}

/**
 * Packages from `from` to `to` inclusive, fewest hops, neighbours in sorted order. buf prints
 * whichever cycle its DFS meets first (map order, so it varies between runs); this one is stable.
 */
function shortestPath(graph: Map<string, Map<string, unknown>>, from: string, to: string): string[] {
  const previous = new Map<string, string>([[from, from]])
  const queue = [from]
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!
    if (node === to) break
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!previous.has(next)) {
        previous.set(next, node)
        queue.push(next)
      }
    }
  }
  const path = [to]
  for (let node = to; node !== from; node = previous.get(node)!) path.unshift(previous.get(node)!)
  return path
}
