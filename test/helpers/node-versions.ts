// Other Node versions for the cross-version tests, from the npm registry's `node` package (its
// install puts the official binary of that version under node_modules, no root needed). Installed
// into .node-versions/<major>/ on first use, as test/e2e/setup.sh installs code-server into .e2e/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = join(__dirname, '..', '..', '.node-versions');

/**
 * The path of a `node` of that major version, installed first if it is not there yet: into a
 * directory of this process's, renamed into place, as test files running at once may ask for it
 * together (the first rename wins; a later one finds the directory there and leaves its own).
 */
export function nodeOfMajor(major: number): string {
  const dir = join(CACHE, String(major));
  const binary = join(dir, 'node_modules', '.bin', 'node');
  if (existsSync(binary)) return binary;
  const own = `${dir}.installing-${process.pid}`;
  mkdirSync(own, { recursive: true });
  try {
    writeFileSync(join(own, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${major}`], {
      cwd: own,
      env: withoutNpmSettings(process.env),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    renameSync(own, dir);
  } catch (error) {
    if (!existsSync(binary)) throw error;
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
  return binary;
}

const majors = new Map<string, number>();

/** The major version of the Node at `binary` (asked once). */
export function majorOf(binary: string): number {
  let major = majors.get(binary);
  if (major === undefined) {
    major = Number(execFileSync(binary, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }));
    majors.set(binary, major);
  }
  return major;
}

/** Under `npm test` npm exports its own settings (a local prefix, allow-scripts...): the install must not inherit them. */
function withoutNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}
