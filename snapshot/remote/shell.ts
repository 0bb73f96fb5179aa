// Quoting for commands that OpenSSH hands to the remote user's login shell (assumed POSIX sh-like).

/** One word, quoted so the remote shell passes it through unchanged. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A remote path that may start with `~/`: the tilde stays outside the quotes so the shell expands it. */
export function shPath(remotePath: string): string {
  if (remotePath === '~') return '"$HOME"';
  return remotePath.startsWith('~/') ? `"$HOME"/${shq(remotePath.slice(2))}` : shq(remotePath);
}

/** A script run by `sh -c`, so that the user's login shell (bash, zsh, fish...) only has to parse one quoted word. */
export function shScript(script: string): string {
  return `sh -c ${shq(script)}`;
}
