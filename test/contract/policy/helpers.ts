/** Compiles small contracts and builds throwaway git repositories with real release tags. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { compile, type ProtoFile } from '../../../src/contract/proto/index.js'

export function compiled(files: Record<string, string>): ProtoFile[] {
  const result = compile(new Map(Object.entries(files)))
  if (result.errors.length > 0) throw new Error(`fixture does not compile: ${result.errors.map((error) => error.message).join('; ')}`)
  return result.files
}

/** A git repository in a fresh temp directory; `release` commits the files and tags the commit. */
export class TestRepo {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'policy-repo-'))

  constructor() {
    this.git('init', '-q', '-b', 'main')
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
  }

  commit(files: Record<string, string>, message: string): void {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true })
      writeFileSync(path.join(this.dir, file), text)
    }
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
  }

  release(tag: string, files: Record<string, string>): void {
    this.commit(files, `release ${tag}`)
    this.git('tag', tag)
  }
}
