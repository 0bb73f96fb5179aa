// Probe: [[GeneratorLocation]] of suspended generators (held in variables) and of a suspended
// async function (found through a heap snapshot). Run: node --import tsx test/resume/probe/probe3.ts
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CdpConnection } from '../../../snapshot/cdp/connection';
import { launchWithInspector } from '../../../snapshot/target/launch';

async function main(): Promise<void> {
  const program = resolve(__dirname, 'gens.js');
  const lines = readFileSync(program, 'utf8').split('\n');
  const target = await launchWithInspector({ program, breakOnStart: true, stdio: 'pipe' });
  const cdp = await CdpConnection.connect(target.webSocketUrl);
  await cdp.send('Debugger.enable');
  await cdp.send('Runtime.enable');
  const show = async (label: string, objectId: string) => {
    const props = await cdp.send('Runtime.getProperties', { objectId, ownProperties: true });
    for (const p of props.internalProperties ?? []) {
      if (p.name === '[[GeneratorLocation]]') {
        const l = p.value!.value as { lineNumber: number; columnNumber: number };
        console.log(label, `${l.lineNumber}:${l.columnNumber} «${lines[l.lineNumber].slice(l.columnNumber, l.columnNumber + 16)}»`);
      }
    }
  };
  cdp.on('Debugger.paused', async (e) => {
    if ((e.reason as string) === 'Break on start') { await cdp.send('Debugger.resume'); return; }
    const f = e.callFrames[0];
    for (const name of ['g1', 'g2', 'g3', 'g4']) {
      const ev = await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: f.callFrameId, expression: name });
      await show(name, ev.result.objectId!);
    }
    // async function objects are only reachable through the heap snapshot
    let chunks = '';
    const off = cdp.on('HeapProfiler.addHeapSnapshotChunk', (c) => { chunks += c.chunk; });
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    off();
    const snap = JSON.parse(chunks);
    const fields: string[] = snap.snapshot.meta.node_fields;
    const types: string[] = snap.snapshot.meta.node_types[0];
    const n = fields.length;
    for (let i = 0; i < snap.nodes.length; i += n) {
      const name = snap.strings[snap.nodes[i + fields.indexOf('name')]];
      const type = types[snap.nodes[i + fields.indexOf('type')]];
      if (type === 'object' && /AsyncFunction|Generator/.test(name) && !/Prototype|Function$/.test(name)) {
        const obj = await cdp.send('HeapProfiler.getObjectByHeapObjectId', { objectId: String(snap.nodes[i + fields.indexOf('id')]) }).catch(() => undefined);
        if (obj?.result.objectId) await show(`heap ${name}`, obj.result.objectId);
      }
    }
    await cdp.send('Debugger.resume');
    target.child.kill();
  });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  await new Promise((r) => target.child.once('exit', r));
  await cdp.close();
}
void main();
