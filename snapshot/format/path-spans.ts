// Where a directory's paths stand inside a string: what capture reads as a path the program holds
// (which files travel, capture/workfiles.ts) and what a restore with --cwd rewrites
// (restore/paths.ts) are the same spans. A span starts with the directory itself (or its `file:`
// URL) at the start of the string or after a character that separates words or list items
// (whitespace, a quote, `=`, `:`, `,`, `;`, a bracket...), and the directory ends there, at a `/`
// or at such a separator: `--out=/srv/job/out`, `/usr/lib:/srv/job/lib`, `{"log":"/srv/job/a.log"}`,
// `see file:///srv/job/notes.txt`, `/srv/job/a.js:12`. `/srv/job2`, `/srv/job.bak` and
// `/backup/srv/job` are other paths, not the directory's.
import { pathToFileURL } from 'node:url';

const BEFORE = `\\s"'\`=:,;(\\[{<>|&`;
const AFTER = `\\s"'\`:,;)\\]}<>|&?#`;

/** The directory and its `file:` URL, each to be found where it stands for itself in longer text. */
export interface DirectoryForms {
  path: string;
  url: string;
}

export function directoryForms(dir: string): DirectoryForms {
  return { path: dir, url: pathToFileURL(dir).href };
}

/** Whether `text` may hold a span of the directory (the cheap test before the pattern). */
export function mayHoldDirectory(text: string, forms: DirectoryForms): boolean {
  return text.includes(forms.path) || text.includes(forms.url);
}

/** Matches the directory (or its URL) where it starts a span; group 1 is the form found. */
export function directoryPattern(forms: DirectoryForms): RegExp {
  return new RegExp(`(?<=^|[${BEFORE}])(${escape(forms.url)}|${escape(forms.path)})(?=$|[/${AFTER}])`, 'g');
}

/** Matches whole spans under the directory: the directory (or its URL), then what follows it up to a separator. */
export function spanPattern(forms: DirectoryForms): RegExp {
  return new RegExp(
    `(?<=^|[${BEFORE}])(?:${escape(forms.url)}|${escape(forms.path)})(?:/[^${AFTER}]*)?(?=$|[${AFTER}])`,
    'g',
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
