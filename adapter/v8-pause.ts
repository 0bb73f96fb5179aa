// Whether V8 itself is paused, as its events say. The adapter's view runs ahead of V8's: a resume
// is answered before the program has left its pause, and a `Debugger.pause` that V8 receives in
// between is dropped (it is "already paused"), so a user's pause would be lost.

export class V8Pause {
  private paused = false;
  private readonly waiting: Array<() => void> = [];

  /** `Debugger.paused` arrived. */
  stopped(): void {
    this.paused = true;
  }

  /** `Debugger.resumed` arrived, or the target is gone: nothing will stay paused. */
  running(): void {
    this.paused = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves once V8 runs: at once if it does already. */
  untilRunning(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
