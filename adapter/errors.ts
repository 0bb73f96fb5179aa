// The debug adapter's error responses: one id per kind of failure, so a client (and a test) can
// tell them apart; the messages are the errors' own.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isForTheUser } from '../snapshot/errors';

export const DAP_ERROR = {
  /** A request against a live program failed (the error says why). */
  request: 1001,
  /** The read-only session has no checkpoint open. */
  noCheckpointOpen: 1100,
  /** The checkpoint file could not be opened. */
  cannotOpenCheckpoint: 1101,
  /** A request on an open checkpoint failed. */
  checkpointRequest: 1102,
  /** The checkpoint holds no such source. */
  noSuchSource: 1103,
  /** A read-only session was asked to run code. */
  readOnly: 1104,
} as const;

export function errorMessage(
  id: (typeof DAP_ERROR)[keyof typeof DAP_ERROR],
  error: unknown,
  prefix = '',
): DebugProtocol.Message {
  return {
    id,
    format: `${prefix}${error instanceof Error ? error.message : String(error)}`,
    showUser: isForTheUser(error),
  };
}
