/**
 * Reads the files the runner hands a step (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV) as the runner does:
 * name<<DELIMITER records (what @actions/core writes) and name=value lines (what `echo >> $GITHUB_ENV` writes).
 */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1)
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
  }
  return out
}
