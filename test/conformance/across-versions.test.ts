// The idle conformance corpus (idle-corpus.ts) checkpointed on this Node (20) and restored on Node 24,
// the supported pair furthest apart: each program must print what it prints uninterrupted (on 20
// up to the checkpoint, then as on 24), or be refused by name before it goes on. Its checkpoint
// refusals are idle.test.ts's. Node 22, between them, restores the programs whose state lives in
// Node's own objects, which each version makes its own way; the language's state is V8's and the
// same at 22 as at 24. Node 22 and 24 come from the npm registry on first run (node-versions.ts).
import { nodeOfMajor } from '../helpers/node-versions';
import { idleCorpus } from './idle-corpus';

/** Programs holding streams, readline, timers, sockets and servers, emitters, files, abort signals, zlib, fetch. */
const NODE_OBJECTS =
  /stream|readline|timer|interval|immediate|http|express|emitter|event|abort|file|(?:^|\/)fs-|zlib|fetch|split2|pino|winston|node-made|process-state|platform-slots/;

let node24: string | undefined;
idleCorpus(
  `idle conformance corpus, checkpointed on ${process.version}, restored on Node 24`,
  { program: () => process.execPath, restore: () => (node24 ??= nodeOfMajor(24)) },
  { refusals: false },
);

let node22: string | undefined;
idleCorpus(
  `idle conformance corpus, programs holding Node's objects, checkpointed on ${process.version}, restored on Node 22`,
  { program: () => process.execPath, restore: () => (node22 ??= nodeOfMajor(22)) },
  { refusals: false, only: NODE_OBJECTS },
);
