// Probe: where line breakpoints resolve (which column V8 picks on each line), which scopes a
// paused frame reports, and what [[GeneratorLocation]] says for suspended generators and
// async functions. Run: node --import tsx test/resume/probe/probe2.ts
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CdpConnection } from '../../../snapshot/cdp/connection';
import { launchWithInspector } from '../../../snapshot/target/launch';

async function main(): Promise<void> {
  const program = resolve(__dirname, 'lines.js');
  const lines = readFileSync(program, 'utf8').split('\n');
  const target = await launchWithInspector({ program, breakOnStart: true, stdio: 'pipe' });
  const cdp = await CdpConnection.connect(target.webSocketUrl);
  await cdp.send('Debugger.enable');
  await cdp.send('Runtime.enable');
  for (let line = 2; line <= 19; line++) {
    const r = await cdp.send('Debugger.setBreakpointByUrl', { url: `file://${program}`, lineNumber: line });
    console.log('bp', line, r.locations.map((l) => `${l.lineNumber}:${l.columnNumber} «${lines[l.lineNumber].slice(l.columnNumber!, l.columnNumber! + 12)}»`).join(' '));
  }
  let count = 0;
  cdp.on('Debugger.paused', async (e) => {
    const f = e.callFrames[0];
    const { lineNumber: l, columnNumber: c = 0 } = f.location;
    if (e.reason === 'other' && l === 25) {
      // suspended generator / async function: look them up through scope values
      const top = e.callFrames[1] ?? f;
      void top;
      for (const expr of ['g']) {
        const ev = await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: f.callFrameId, expression: expr });
        const props = await cdp.send('Runtime.getProperties', { objectId: ev.result.objectId!, ownProperties: true });
        for (const p of props.internalProperties ?? []) console.log(expr, p.name, JSON.stringify(p.value?.value ?? p.value?.description));
      }
      await cdp.send('Debugger.resume');
      return;
    }
    const scopes: string[] = [];
    for (const s of f.scopeChain) {
      if (s.type === 'global') continue;
      const props = await cdp.send('Runtime.getProperties', { objectId: s.object.objectId!, ownProperties: true });
      scopes.push(`${s.type}[${s.startLocation?.lineNumber}:${s.startLocation?.columnNumber}-${s.endLocation?.lineNumber}:${s.endLocation?.columnNumber}]{${props.result.map((p) => `${p.name}=${p.value?.value ?? p.value?.type}`).join(',')}}`);
    }
    if (count++ < 40) console.log(`${l}:${c} «${lines[l].slice(c, c + 14)}» ${scopes.join(' ')}`);
    await cdp.send('Debugger.resume');
  });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  await new Promise((r) => target.child.once('exit', r));
  await cdp.close();
}
void main();
