// Migrating a server to a host that shares this machine's addresses (loopback1): the origin lets go
// of its port right before the host listens again, and the origin is ended only once the restored
// server listens. When the host cannot listen (here: a port below 1024, which loopback1's unprivileged
// user may not take), the freeze runs out of time or the user presses Ctrl-C during it, the origin
// takes its port back and goes on serving.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { distDir } from '../../snapshot/assets';
import { aloneOnPort9229, controlDir, driver, remoteDir, skipReason, SSH_CONFIG, testEnvUp } from './env';

// Express and lodash (the combination that once took a minute to restore and lost the program to EADDRINUSE).
const SERVER = `
const express = require('express');
const _ = require('lodash');
const app = express();
const hits = [];
app.get('/hit/:n', (req, res) => {
  hits.push(Number(req.params.n));
  res.json({ hits: hits.length, sum: _.sum(hits), pid: process.pid });
});
const server = app.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening on', server.address().port));
process.on('ferry:checkpoint', () => console.log('freezing')); // at the idle point, right before the freeze
`;

const PROJECT_NODE_MODULES = path.join(__dirname, '..', '..', 'node_modules');

interface Origin {
  child: ChildProcess;
  port: number;
  dir: string;
  /** Resolves once the program has printed `text`. */
  printed(text: string): Promise<void>;
}

async function startServer(port: number): Promise<Origin> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-migrate-server-'));
  writeFileSync(path.join(dir, 'server.js'), SERVER);
  symlinkSync(PROJECT_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  const child = spawn(process.execPath, ['server.js', String(port)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => output.includes(text) && resolve();
      child.stdout!.on('data', check);
      child.once('exit', (code) =>
        reject(new Error(`the server exited (${code}) before printing ${text}:\n${output}`)),
      );
      check();
    });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  await printed('listening on');
  return { child, port: Number(/listening on (\d+)/.exec(output)![1]), dir, printed };
}

/** Ends an origin left running, inside aloneOnPort9229: the inspector migrate opened holds that port. */
async function endOrigin(origin: Origin): Promise<void> {
  const exited = new Promise((resolve) => origin.child.once('exit', resolve));
  if (origin.child.kill('SIGKILL')) await exited;
}

function hit(port: number, n: number): Promise<{ hits: number; sum: number; pid: number }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/hit/${n}`, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d)).on('end', () => resolve(JSON.parse(body)));
    })
      .on('error', reject)
      .end();
  });
}

/** A port below 1024 free on 127.0.0.1 (this test runs as root; loopback1's user may not listen there). */
async function freePrivilegedPort(): Promise<number> {
  for (let port = 900; port < 1024; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port below 1024');
}

describe('migrate a server to a host sharing this machine (loopback1)', { skip: skipReason, timeout: 180_000 }, () => {
  const control = controlDir();
  const remotes: string[] = [];
  const origins: Origin[] = [];
  before(testEnvUp);
  after(() => {
    for (const origin of origins) {
      origin.child.kill('SIGKILL');
      rmSync(origin.dir, { recursive: true, force: true });
    }
    control.close();
    for (const dir of remotes) rmSync(dir, { recursive: true, force: true });
  });
  // loopback1 shares this machine's disk, where the program's directory is not its user's: it runs in one of the host's.
  const hostOptions = (name: string) => {
    const dir = remoteDir(name);
    remotes.push(dir);
    return { host: 'loopback1', sshConfig: SSH_CONFIG, controlDir: control.dir, remoteDir: dir, cwd: `${dir}/work` };
  };

  it('keeps serving on the same port: the restored server answers, with the state the origin had', () =>
    aloneOnPort9229(async () => {
      const origin = await startServer(0);
      origins.push(origin);
      assert.deepEqual(await hit(origin.port, 1), { hits: 1, sum: 1, pid: origin.child.pid });
      assert.deepEqual(await hit(origin.port, 2), { hits: 2, sum: 3, pid: origin.child.pid });
      const gone = new Promise((resolve) => origin.child.once('exit', resolve));
      const host = hostOptions('migrate-server');
      const moved = await driver('migrate', { pid: origin.child.pid, ...host });
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stderr, /moved to loopback1 as (\S+) \(the original is ended/);
      await gone;
      const answer = await hit(origin.port, 3);
      assert.deepEqual({ hits: answer.hits, sum: answer.sum }, { hits: 3, sum: 6 });
      assert.notEqual(answer.pid, origin.child.pid, 'answered by the restored program');
      const runId = /moved to loopback1 as (\S+)/.exec(moved.stderr)![1];
      await driver('stop', { ...host, runId, remove: true });
    }));

  it('leaves the origin serving when the host cannot listen on its port', () =>
    aloneOnPort9229(async () => {
      const origin = await startServer(await freePrivilegedPort());
      origins.push(origin);
      assert.equal((await hit(origin.port, 5)).sum, 5);
      const failed = await driver('migrate', { pid: origin.child.pid, ...hostOptions('migrate-server-eacces') });
      assert.equal(failed.code, 70, failed.stderr);
      assert.match(
        failed.stderr,
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${origin.port} again: listen EACCES.*; the program goes on here, where it was\\n`,
        ),
      );
      assert.deepEqual(
        await hit(origin.port, 7),
        { hits: 2, sum: 12, pid: origin.child.pid },
        'the origin serves on, on its port',
      );
      await endOrigin(origin);
    }));

  it('gives up when the freeze outlasts --freeze-timeout: the origin goes on serving', () =>
    aloneOnPort9229(async () => {
      const origin = await startServer(0);
      origins.push(origin);
      assert.equal((await hit(origin.port, 1)).hits, 1);
      const failed = await driver('migrate', {
        pid: origin.child.pid,
        ...hostOptions('migrate-server-timeout'),
        freezeTimeoutMs: 1,
      });
      assert.equal(failed.code, 70, failed.stderr);
      assert.match(
        failed.stderr,
        /not up on loopback1 within 1 ms of the freeze \(--freeze-timeout\); the program goes on here, where it was/,
      );
      assert.deepEqual(await hit(origin.port, 2), { hits: 2, sum: 3, pid: origin.child.pid });
      await endOrigin(origin);
    }));

  it('is cancelled by SIGINT during the freeze: the origin goes on serving', () =>
    aloneOnPort9229(async () => {
      const origin = await startServer(0);
      origins.push(origin);
      assert.equal((await hit(origin.port, 1)).hits, 1);
      // The real CLI, with a home of its own (its SSH master's socket is there: a short path, as sockets need).
      const home = mkdtempSync('/tmp/fm-');
      const sigintHost = hostOptions('migrate-server-sigint');
      const cli = spawn(
        process.execPath,
        [
          path.join(distDir(), 'cli.js'),
          'migrate',
          '--pid',
          String(origin.child.pid),
          '--on',
          'loopback1',
          '--ssh-config',
          SSH_CONFIG,
          '--remote-dir',
          sigintHost.remoteDir,
          '--cwd',
          sigintHost.cwd,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: home } },
      );
      let stderr = '';
      cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
      // 'exit', not 'close': the SSH master the CLI leaves running holds its stderr open.
      const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
      try {
        const ended = exited.then((code) =>
          Promise.reject(new Error(`the CLI ended (${code}) before the freeze:\n${stderr}`)),
        );
        await Promise.race([origin.printed('freezing'), ended]);
        cli.kill('SIGINT');
        assert.equal(await exited, 70, stderr);
        assert.match(stderr, /the migration was cancelled \(SIGINT\); the program goes on here, where it was/);
        assert.deepEqual(await hit(origin.port, 2), { hits: 2, sum: 3, pid: origin.child.pid });
      } finally {
        cli.kill('SIGKILL');
        closeMasters(path.join(home, '.ferry', 'ssh'));
        rmSync(home, { recursive: true, force: true });
        await endOrigin(origin);
      }
    }));
});

/** Ends the SSH masters whose sockets are in `dir`. */
function closeMasters(dir: string): void {
  for (const socket of existsSync(dir) ? readdirSync(dir) : []) {
    spawnSync('ssh', ['-o', `ControlPath=${path.join(dir, socket)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
  }
}
