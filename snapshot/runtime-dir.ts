// Ferry's runtime directory on this machine: one per user, private to them (0700, checked), for
// what only the user's own processes may reach: the locks on the programs Ferry attaches to
// (target/claim.ts), the sockets of the holders of checkpoints' connections (connections/) and
// what a fresh process of each Node binary has (capture/pristine.ts).
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** `/run/user/UID/ferry`, else `/tmp/ferry-UID`, whatever the environment says; made when missing. */
export function runtimeDirectory(): string {
  const uid = process.geteuid!();
  const userRun = `/run/user/${uid}`;
  const dir = isPrivateDirectory(userRun, uid) ? join(userRun, 'ferry') : `/tmp/ferry-${uid}`;
  mkdirSync(dir, { mode: 0o700, recursive: true });
  if (!isPrivateDirectory(dir, uid))
    throw new Error(
      `${dir} is not a directory private to this user (uid ${uid}, mode 0700): Ferry keeps its locks and held connections there; remove it or fix its owner and mode`,
    );
  return dir;
}

function isPrivateDirectory(path: string, uid: number): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Removes a lock or socket of the runtime directory that may be gone already (its owner ended). */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}
