// Why a frame cannot be resumed honestly, said so a user can act on it.
import { FerryError } from '../errors';
export interface RefusalSite {
  url?: string;
  functionName?: string;
  frameIndex?: number;
  /** 0-based, as CDP reports it. */
  line: number;
  column: number;
}

export class ResumeRefusal extends FerryError {
  readonly kind = 'refused';
  constructor(
    readonly site: RefusalSite,
    readonly reason: string,
    readonly advice: string,
  ) {
    super(`${describeSite(site)}: ${reason}; ${advice}`);
    this.name = 'ResumeRefusal';
  }
}

/** `frame 2 (walk) at app.js:14:9`, with 1-based line and column as editors show them. */
export function describeSite(site: RefusalSite): string {
  const frame = site.frameIndex === undefined ? 'frame' : `frame ${site.frameIndex}`;
  const name = site.functionName ? ` (${site.functionName})` : '';
  const file = site.url
    ? site.url
        .replace(/^file:\/\//, '')
        .split('/')
        .pop()
    : '<script>';
  return `${frame}${name} at ${file}:${site.line + 1}:${site.column + 1}`;
}

export const ADVICE = {
  step: 'step to the next statement (or out of this call) and checkpoint there, or checkpoint at idle',
  idle: 'checkpoint at idle instead',
  stepOut: 'step out of this function and checkpoint there, or checkpoint at idle',
} as const;
