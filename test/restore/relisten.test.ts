// Restored servers listen again before anything else of the program runs, and the restore reports
// "resumed" only once they listen: a port taken on this host fails the restore (status "failed",
// exit 70) with Node's reason, before any of the program's timers fire. Once listening, the program
// does not hear a second 'listening'.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTargetSession } from '../../snapshot/capture/target-session';
import { resumeTarget, writeCheckpoint } from '../../snapshot/checkpoint';
import { launchWithInspector, type LaunchedTarget } from '../../snapshot/target/launch';
import { restoreRuntimePath } from '../../snapshot/assets';
import { linesPrinted } from '../helpers/oracle';

// A server, a 'listening' listener that says so, and a timer due soon after any restore.
const PROGRAM = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end('answered ' + req.url));
server.on('listening', () => console.log('listening on', server.address().port));
server.listen(0, '127.0.0.1');
process.on('ferry:checkpoint', () => setTimeout(() => console.log('timer ran'), 1));
setInterval(() => undefined, 60_000);
`;

function runRestore(checkpoint: string, cwd: string, statusFile: string) {
  const child = spawn(process.execPath, [restoreRuntimePath(), checkpoint, '--status-file', statusFile], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d)).on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

describe('restored servers', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-relisten-'));
  const checkpoint = join(dir, 'server.ferry');
  let origin: LaunchedTarget;
  let port: number;

  before(async () => {
    writeFileSync(join(dir, 'server.js'), PROGRAM);
    origin = await launchWithInspector({
      program: join(dir, 'server.js'),
      cwd: dir,
      stdio: 'pipe',
      breakOnStart: true,
    });
    let printed = '';
    origin.child.stdout!.on('data', (d: Buffer) => (printed += d));
    const listening = linesPrinted(origin.child, 1);
    const session = await openTargetSession(origin.webSocketUrl, { startedWithBreak: true });
    await listening;
    port = Number(/listening on (\d+)/.exec(printed)![1]);
    await writeCheckpoint(session, { at: 'idle', output: checkpoint });
    // The origin goes on, holding the port.
    await resumeTarget(session);
    await session.cdp.close();
  });
  after(() => {
    origin.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('fail the restore, before the program runs, when their port is taken', async () => {
    const status = join(dir, 'status-taken');
    const restore = runRestore(checkpoint, dir, status);
    assert.equal(await restore.exited, 70);
    const [event] = readFileSync(status, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(event.event, 'failed');
    assert.match(event.error, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} again: listen EADDRINUSE`));
    assert.equal(restore.output().stdout, '', 'none of the program ran');
  });

  it('listen before the restore reports resumed, and the program hears no second listening', async () => {
    origin.child.kill('SIGKILL');
    await new Promise((resolve) => origin.child.once('exit', resolve));
    const status = join(dir, 'status-free');
    const restore = runRestore(checkpoint, dir, status);
    try {
      const ran = new Promise<void>((resolve) =>
        restore.child.stdout.on('data', () => restore.output().stdout.includes('timer ran') && resolve()),
      );
      await ran;
      assert.equal(JSON.parse(readFileSync(status, 'utf8').split('\n')[0]).event, 'resumed');
      assert.equal(await get(port, '/after'), 'answered /after');
      assert.equal(restore.output().stdout, 'timer ran\n');
    } finally {
      restore.child.kill();
    }
  });
});
