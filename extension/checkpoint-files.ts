// The checkpoint files of a folder and what their manifests say, for the Checkpoints view and the
// pickers. No vscode import: testable alone.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readCheckpointFile } from '../snapshot/format/checkpoint';
import { checkpointKey } from '../snapshot/format/key';
import type { StoredManifest } from '../snapshot/format/manifest';
import { heldHere, type HolderStatus } from '../snapshot/connections/handover';

export interface CheckpointSummary {
  path: string;
  bytes: number;
  /** Set when the file cannot be read as a checkpoint (damaged, foreign, signed without a key). */
  error?: string;
  manifest?: StoredManifest;
  /** The holder that keeps its connections on this machine still (withHolders), if one does. */
  held?: HolderStatus;
}

export function listCheckpoints(dir: string): CheckpointSummary[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.ferry'));
  } catch {
    return [];
  }
  return names
    .map((name) => summarize(join(dir, name)))
    .sort((a, b) => (b.manifest?.createdAt ?? '').localeCompare(a.manifest?.createdAt ?? ''));
}

/** Each summary with the holder that keeps its connections here still, if one does (each asked at once). */
export function withHolders(summaries: CheckpointSummary[]): Promise<CheckpointSummary[]> {
  return Promise.all(
    summaries.map(async (summary) => ({ ...summary, held: await heldHere(summary.manifest?.handles.connections) })),
  );
}

export function summarize(path: string): CheckpointSummary {
  const bytes = statSync(path).size;
  try {
    // Verifying every hash reads the whole file: fine for a view of one folder of checkpoints.
    const { manifest } = readCheckpointFile<StoredManifest>(path, { hmacKey: checkpointKey() });
    return { path, bytes, manifest };
  } catch (error) {
    return { path, bytes, error: (error as Error).message };
  }
}

/** "job.js", from the manifest's main module. */
export function programName(summary: CheckpointSummary): string {
  const main = summary.manifest?.program.main;
  return main ? basename(main) : basename(summary.path, '.ferry');
}
