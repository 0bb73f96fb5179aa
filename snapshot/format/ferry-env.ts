// Ferry's own environment variables: settings for Ferry, never the program's. They are kept out of
// the environment of every program Ferry starts (ferry run, launches, restores) and out of a
// checkpoint's recorded env: filtered at capture, so a program that someone else started with
// FERRY_KEY set does not carry it into the file. Variables of the program's own that happen to
// start with FERRY_ are the program's, and travel. No imports: the capture agent, which runs
// inside the target with no module system, uses this file.

/**
 * Where a program started in the editor's terminal writes its inspector's URL
 * (target/inspector-handoff.ts, which takes it out of the program's environment at once).
 */
export const INSPECTOR_HANDOFF_ENV = 'FERRY_INSPECTOR_HANDOFF';

/**
 * What the launcher of a restore in the editor's terminal takes for it (target/terminal-handover.ts,
 * which takes it out of the environment before the restore starts).
 */
export const TERMINAL_HANDOVER_ENV = 'FERRY_TERMINAL_HANDOVER';

/** FERRY_KEY: the signing key. FERRY_DEBUG: stack traces of Ferry's own failures. */
export const FERRY_OWN_ENV: readonly string[] = [
  'FERRY_KEY',
  'FERRY_DEBUG',
  INSPECTOR_HANDOFF_ENV,
  TERMINAL_HANDOVER_ENV,
];

/** A copy of env without Ferry's own variables. */
export function withoutFerryEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const copy = { ...env };
  removeFerryEnv(copy);
  return copy;
}

/** Takes Ferry's own variables out of env, in place (e.g. process.env). */
export function removeFerryEnv(env: Record<string, string | undefined>): void {
  for (const name of FERRY_OWN_ENV) delete env[name];
}
