// Progress of long steps on stderr, on a terminal only: scripts and pipes get nothing but results and errors.
export interface Progress {
  step(text: string): void;
  /** Clears the progress line so the program's own output starts on a clean line. */
  done(): void;
}

export function createProgress(enabled: boolean = process.stderr.isTTY === true): Progress {
  let shown = false;
  return {
    step(text) {
      if (!enabled) return;
      process.stderr.write(`\r\x1b[2Kferry: ${text}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
