// Long steps (capture, transfer, restore) as DAP progress events: VS Code shows them as a
// notification with a Cancel button and sends a `cancel` request with the progress id.
// Cancelling is cooperative: the work checks `cancelled` at its next safe point.
import { ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FerryError } from '../snapshot/errors';

export interface Progress {
  update(message: string): void;
  end(message?: string): void;
  readonly cancelled: boolean;
}

export class ProgressReporter {
  private readonly running = new Map<string, { cancelled: boolean }>();
  private next = 1;
  /** False until the client says it shows progress (DAP initialize `supportsProgressReporting`). */
  enabled = false;

  constructor(private readonly send: (event: DebugProtocol.Event) => void) {}

  start(title: string, message?: string): Progress {
    const id = `ferry-${this.next++}`;
    const state = { cancelled: false };
    this.running.set(id, state);
    if (this.enabled) {
      const event = new ProgressStartEvent(id, title, message) as DebugProtocol.ProgressStartEvent;
      event.body.cancellable = true;
      this.send(event);
    }
    return {
      update: (text) => {
        if (this.enabled && this.running.has(id)) this.send(new ProgressUpdateEvent(id, text));
      },
      end: (text) => {
        if (this.running.delete(id) && this.enabled) this.send(new ProgressEndEvent(id, text));
      },
      get cancelled() {
        return state.cancelled;
      },
    };
  }

  /** DAP `cancel` for a progress id; false when no such progress runs. */
  cancel(progressId: string): boolean {
    const state = this.running.get(progressId);
    if (state) state.cancelled = true;
    return state !== undefined;
  }
}

export class CancelledError extends FerryError {
  readonly kind = 'cancelled';
}
