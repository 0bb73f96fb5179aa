// Ferry's helper on the host: a small dependency-free script run by the host's Node to follow,
// list and stop runs. Plain JS (shipped as-is, CommonJS, Node >= 20); keep it small.
//   follow ROOT ID       stream out/err/status as frames until the run exits: [type u8][length u32 BE][bytes]
//                        type 1 stdout, 2 stderr, 3 status lines, 4 end: the exit code, or "lost" and a line on what is left
//   ps ROOT              one JSON array describing every run
//   inspector ROOT ID    wait for the run's inspector URL on its stderr and print it
//   stop ROOT ID [--remove]   end the run's process group (TERM, then KILL), optionally delete its directory
//   gc ROOT DAYS         delete runs that ended more than DAYS ago, then blobs nothing links to any more (a run or
//                        lib/ holds each blob it uses as a hard link) for DAYS, and transfers that were cut off
export const HELPER_JS = String.raw`'use strict';
const fs = require('fs');
const path = require('path');
const [command, root, wanted, flag] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const read = (file) => { try { return fs.readFileSync(file, 'utf8').trim(); } catch { return ''; } };
const alive = (pid) => { if (!pid) return false; try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
function fail(message) { process.stderr.write(message + '\n'); process.exit(2); }

function runDir(id) {
  const runs = path.join(root, 'runs');
  const names = fs.existsSync(runs) ? fs.readdirSync(runs) : [];
  const matches = names.includes(id) ? [id] : names.filter((name) => name.startsWith(id));
  if (matches.length === 1) return path.join(runs, matches[0]);
  fail(matches.length ? 'run id "' + id + '" is ambiguous: ' + matches.join(', ') : 'no run "' + id + '" in ' + runs);
}

function describe(dir) {
  const file = (name) => path.join(dir, name);
  let meta = {};
  try { meta = JSON.parse(read(file('meta.json'))); } catch {}
  const events = read(file('status')).split('\n').filter(Boolean).map((line) => { try { return JSON.parse(line); } catch { return {}; } });
  const failed = events.find((e) => e.event === 'failed');
  const resumed = events.some((e) => e.event === 'resumed');
  const pid = Number(read(file('pid'))) || null;
  // Liveness before the exit code (see follow): a process that ends in between has written its code.
  const running = alive(pid);
  const launcherPid = Number(read(file('launcher.pid')));
  // No pid written yet: a launcher being started, unless that was over a minute ago.
  const starting = launcherPid ? alive(launcherPid) : (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0) > Date.now() - 60e3;
  const exit = read(file('exit'));
  let state;
  if (exit !== '') state = resumed || !failed ? 'exited' : 'failed';
  else if (running) state = resumed ? 'running' : 'restoring';
  else if (starting) state = 'starting';
  else state = 'lost';
  return { id: path.basename(dir), state, exitCode: exit === '' ? null : Number(exit), pid, error: failed ? failed.error : undefined, ...meta };
}

function frame(type, bytes) {
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeUInt32BE(bytes.length, 1);
  process.stdout.write(Buffer.concat([head, bytes]));
}

async function follow(dir) {
  const sources = [['out', 1], ['err', 2], ['status', 3]].map(([name, type]) => ({ file: path.join(dir, name), type, offset: 0 }));
  const buffer = Buffer.alloc(1 << 16);
  const pump = () => {
    for (const source of sources) {
      let fd;
      try { fd = fs.openSync(source.file, 'r'); } catch { continue; }
      try {
        let n;
        while ((n = fs.readSync(fd, buffer, 0, buffer.length, source.offset)) > 0) {
          source.offset += n;
          frame(source.type, Buffer.from(buffer.subarray(0, n)));
        }
      } finally { fs.closeSync(fd); }
    }
  };
  for (let waited = 0; ; waited++) {
    // The supervisor's liveness first, then its exit code: one that dies between the two has
    // written its code before dying, so "gone without a code" is never a code written just now.
    const launcherPid = Number(read(path.join(dir, 'launcher.pid')));
    const launcherAlive = alive(launcherPid);
    // Look for the exit code before reading, so every byte written before it is sent.
    const exit = read(path.join(dir, 'exit'));
    const supervised = exit !== '' || launcherAlive;
    pump();
    if (exit !== '') return frame(4, Buffer.from(exit));
    // A launcher that has not even written its pid after a minute is not coming (a loaded host can take
    // seconds); an empty pid file is one the shell has created and not yet written.
    if (!supervised && (launcherPid > 0 || waited > 1500)) return frame(4, Buffer.from('lost\n' + lostReport(dir, launcherPid)));
    await sleep(40);
  }
}

// What is left of a supervisor that died without an exit code: which of its files exist, and its own output.
function lostReport(dir, launcherPid) {
  const present = ['launcher.pid', 'pid', 'stdin.keeper', 'exit.tmp', 'exit'].filter((name) => fs.existsSync(path.join(dir, name)));
  const log = read(path.join(dir, 'launcher.log')).split('\n').slice(-5).join(' | ');
  return 'supervisor pid ' + (launcherPid || 'unknown') + '; files: ' + present.join(' ') + (log ? '; its output: ' + log : '');
}

async function inspector(dir) {
  for (let i = 0; i < 750; i++) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(read(path.join(dir, 'err')));
    if (match) return console.log(match[1]);
    if (read(path.join(dir, 'exit')) !== '') fail('the run exited before its inspector opened');
    await sleep(40);
  }
  fail('the run did not open its inspector within 30 s');
}

async function stop(dir, remove) {
  const pid = Number(read(path.join(dir, 'pid')));
  const signal = (name) => { try { process.kill(-pid, name); } catch { try { process.kill(pid, name); } catch {} } };
  const wasRunning = alive(pid);
  if (wasRunning) {
    signal('SIGTERM');
    for (let i = 0; i < 125 && alive(pid); i++) await sleep(40);
    if (alive(pid)) signal('SIGKILL');
    // Until the supervisor is gone, not just until it wrote the exit code: it still writes in the directory after that.
    for (let i = 0; i < 50 && alive(Number(read(path.join(dir, 'launcher.pid')))); i++) await sleep(40);
  }
  const keeper = Number(read(path.join(dir, 'stdin.keeper')));
  if (alive(keeper)) try { process.kill(keeper); } catch {}
  const state = describe(dir);
  if (remove) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 40 });
  console.log(JSON.stringify({ ...state, wasRunning, removed: !!remove }));
}

function gc(days) {
  const age = Number(days) * 86400e3;
  let cutoff = Date.now() - age;
  const stat = (file) => { try { return fs.lstatSync(file); } catch { return null; } };
  const result = { runs: [], blobs: 0, bytes: 0 };
  const runs = path.join(root, 'runs');
  for (const name of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
    const dir = path.join(runs, name);
    const run = describe(dir);
    const ended = stat(path.join(dir, 'exit')) || stat(path.join(dir, 'meta.json'));
    if (['exited', 'failed', 'lost'].includes(run.state) && ended && ended.mtimeMs < cutoff) {
      fs.rmSync(dir, { recursive: true, force: true });
      result.runs.push(name);
    }
  }
  // Again: the blobs of the runs just removed count as unused from now.
  cutoff = Date.now() - age;
  const blobs = path.join(root, 'blobs');
  for (const name of fs.existsSync(blobs) ? fs.readdirSync(blobs) : []) {
    const file = path.join(blobs, name);
    const info = stat(file);
    if (!info) continue;
    // blobs/.in-PID: the unpacking of a transfer; its shell is gone when the transfer was cut off.
    const cutOff = /^\.in-(\d+)$/.exec(name);
    if (cutOff && !alive(Number(cutOff[1]))) fs.rmSync(file, { recursive: true, force: true });
    // ctime moves when a run links or unlinks the blob: unused since then.
    else if (!cutOff && info.isFile() && info.nlink === 1 && info.ctimeMs <= cutoff) {
      fs.rmSync(file, { force: true });
      result.blobs++;
      result.bytes += info.size;
    }
  }
  console.log(JSON.stringify(result));
}

async function main() {
  if (command === 'ps') {
    const runs = path.join(root, 'runs');
    const names = fs.existsSync(runs) ? fs.readdirSync(runs).sort() : [];
    return console.log(JSON.stringify(names.map((name) => describe(path.join(runs, name)))));
  }
  if (command === 'gc') return gc(wanted);
  const dir = runDir(wanted || '');
  if (command === 'follow') return follow(dir);
  if (command === 'inspector') return inspector(dir);
  if (command === 'stop') return stop(dir, flag === '--remove');
  fail('unknown helper command ' + command);
}
main().catch((error) => fail(String(error && error.stack || error)));
`;
