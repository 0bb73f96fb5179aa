// The agent's result, read out of the stopped target: its summary through the inspector, and its
// heap section (tens of MB for a large heap) through a named pipe of ours when the target can open
// it (it runs on this machine, as our user), else through the inspector as base64 text, a piece at
// a time. Either way the heap never touches a disk: a capture killed part way (kill -9) leaves no
// copy of it anywhere.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentResult, AgentSummary } from './agent/index';
import type { CdpConnection } from '../cdp/connection';

/** Heap bytes per inspector read (1.4 MB of base64 text per CDP message), and reads under way at once: measured fastest. */
const HEAP_CHUNK_BYTES = 1 << 20;
const READS_IN_FLIGHT = 4;

/** Calls a function of ours on the agent's result in the target, and returns what it returns. */
async function callOnResult(
  cdp: CdpConnection,
  objectId: string,
  fn: (this: AgentResult, ...args: never[]) => unknown,
  args: unknown[] = [],
): Promise<unknown> {
  const reply = await cdp.send('Runtime.callFunctionOn', {
    functionDeclaration: fn.toString(),
    objectId,
    arguments: args.map((value) => ({ value })),
    returnByValue: true,
    silent: true,
  });
  if (reply.exceptionDetails)
    throw new Error(
      `the capture agent's result could not be read: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`,
    );
  return reply.result.value as unknown;
}

/** The agent's summary, and the length of each part of its heap section. */
export function readSummary(cdp: CdpConnection, objectId: string): Promise<{ summary: AgentSummary; parts: number[] }> {
  return callOnResult(cdp, objectId, summaryInTarget) as Promise<{ summary: AgentSummary; parts: number[] }>;
}

export async function readHeap(cdp: CdpConnection, objectId: string, parts: number[]): Promise<Buffer> {
  const length = parts.reduce((sum, part) => sum + part, 0);
  // One piece comes as fast through the inspector as a pipe is made (mkfifo is a process of its own).
  const piped = length > HEAP_CHUNK_BYTES ? await readThroughPipe(cdp, objectId) : undefined;
  const heap =
    piped ??
    (length <= HEAP_CHUNK_BYTES
      ? Buffer.from((await callOnResult(cdp, objectId, wholeHeapInTarget)) as string, 'base64')
      : await readThroughInspector(cdp, objectId, parts));
  if (heap.length !== length)
    throw new Error(`the capture agent's heap came through short: ${heap.length} of ${length} bytes`);
  return heap;
}

/**
 * Through a named pipe in a private directory: we hold its read end (and a write end, so that it
 * does not read as ended before the target opens it), the target writes the heap into it, blocking
 * while we read. Undefined when there is no pipe or the target cannot open it (then nothing was sent).
 */
async function readThroughPipe(cdp: CdpConnection, objectId: string): Promise<Buffer | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-heap-'));
  const fifo = join(dir, 'heap');
  try {
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined; // no mkfifo here
  }
  const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true });
  const holder = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const chunks: Buffer[] = [];
  reader.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => reader.once('end', resolve).once('error', reject));
  try {
    const sent = await callOnResult(cdp, objectId, pipeHeapInTarget, [fifo]).finally(() => closeSync(holder));
    await ended;
    return typeof sent === 'number' ? Buffer.concat(chunks) : undefined;
  } finally {
    reader.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Through the inspector, a piece at a time, a few under way at once (the target encodes one while we decode another). */
async function readThroughInspector(cdp: CdpConnection, objectId: string, parts: number[]): Promise<Buffer> {
  const heap = Buffer.allocUnsafe(parts.reduce((sum, length) => sum + length, 0));
  const pieces = heapPieces(parts);
  let filled = 0;
  let next = 0;
  const reader = async () => {
    for (let piece = pieces[next++]; piece; piece = pieces[next++]) {
      const args = [piece.part, piece.offset, HEAP_CHUNK_BYTES];
      const base64 = (await callOnResult(cdp, objectId, heapChunkInTarget, args)) as string;
      filled += heap.write(base64, piece.at, 'base64');
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, reader));
  return heap.subarray(0, filled);
}

/** The pieces the heap is read in: which part, from where in it, and where in the whole heap. */
function heapPieces(parts: number[]): Array<{ part: number; offset: number; at: number }> {
  const pieces: Array<{ part: number; offset: number; at: number }> = [];
  let at = 0;
  parts.forEach((length, part) => {
    for (let offset = 0; offset < length; offset += HEAP_CHUNK_BYTES) pieces.push({ part, offset, at: at + offset });
    at += length;
  });
  return pieces;
}

/** Runs in the target, on the agent's result: the summary, and the length of each part of the heap. */
function summaryInTarget(this: AgentResult): { summary: AgentSummary; parts: number[] } {
  return { summary: this.summary, parts: this.heap.map((part) => part.byteLength) };
}

/**
 * Runs in the target, on the agent's result: a small heap's parts at once, as base64. One answer:
 * answers written back to back can wait 40 ms each for an ACK (Nagle's algorithm in the inspector).
 */
function wholeHeapInTarget(this: AgentResult): string {
  return Buffer.concat(this.heap).toString('base64');
}

/** Runs in the target, on the agent's result: up to `length` bytes of a part of the heap, as base64 (CDP carries text). */
function heapChunkInTarget(this: AgentResult, part: number, offset: number, length: number): string {
  const bytes = this.heap[part];
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(length, bytes.byteLength - offset)).toString(
    'base64',
  );
}

/**
 * Runs in the target, on the agent's result: writes the heap into the named pipe at `path`, whose
 * reader is there already (else its open fails at once, nothing written); the bytes written, or
 * why not (a pipe of another machine or user cannot be opened: the inspector carries the heap then).
 */
function pipeHeapInTarget(this: AgentResult, path: string): number | string {
  const fs = process.getBuiltinModule('fs');
  let fd: number;
  try {
    fs.closeSync(fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); // only if read
    fd = fs.openSync(path, fs.constants.O_WRONLY);
  } catch (error) {
    return String((error as { code?: string }).code ?? error);
  }
  try {
    let sent = 0;
    for (const part of this.heap)
      for (let at = 0; at < part.byteLength;) {
        const wrote = fs.writeSync(fd, part, at, part.byteLength - at);
        at += wrote;
        sent += wrote;
      }
    return sent;
  } finally {
    fs.closeSync(fd);
  }
}
