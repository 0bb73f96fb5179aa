// Probe: where does V8 (node 20) report CallFrame.location for each frame when the innermost
// frame is paused at `debugger`? Prints, for every pause, each user frame's location with
// the source text at that position, so the matching rule in snapshot/resume/locate.ts can be
// checked against real V8. Run: node --import tsx test/resume/probe/probe.ts [script]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CdpConnection } from '../../../snapshot/cdp/connection';
import { launchWithInspector } from '../../../snapshot/target/launch';

async function main(): Promise<void> {
  const program = resolve(__dirname, process.argv[2] ?? 'shapes.js');
  const lines = readFileSync(program, 'utf8').split('\n');
  const target = await launchWithInspector({ program, breakOnStart: true, stdio: 'pipe' });
  const cdp = await CdpConnection.connect(target.webSocketUrl);
  const scripts = new Map<string, string>();
  cdp.on('Debugger.scriptParsed', (e) => { if (e.url.endsWith(program.split('/').pop()!)) scripts.set(e.scriptId, e.url); });
  cdp.on('Debugger.paused', async (e) => {
    const out: string[] = [];
    for (const f of e.callFrames) {
      if (!scripts.has(f.location.scriptId)) continue;
      const { lineNumber: l, columnNumber: c = 0 } = f.location;
      out.push(`${f.functionName || '(anon)'}@${l}:${c} «${lines[l].slice(c, c + 14)}» fn@${f.functionLocation?.lineNumber}:${f.functionLocation?.columnNumber} «${lines[f.functionLocation!.lineNumber]!.slice(f.functionLocation!.columnNumber!, f.functionLocation!.columnNumber! + 10)}» scopes=${f.scopeChain.map((s) => s.type).join(',')}`);
    }
    console.log(e.reason, '|', out.join('  <-  '));
    await cdp.send('Debugger.resume');
  });
  await cdp.send('Debugger.enable');
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.runIfWaitingForDebugger');
  await new Promise((r) => target.child.once('exit', r));
  await cdp.close();
}
void main();
