// The idle conformance corpus (idle-corpus.ts) checkpointed on this Node (20) and restored on Node 24,
// the supported pair furthest apart: each program must print what it prints uninterrupted (on 20
// up to the checkpoint, then as on 24), or be refused by name before it goes on. Its checkpoint
// refusals are idle.test.ts's. Node 24 comes from the npm registry on first run (node-versions.ts).
import { nodeOfMajor } from '../helpers/node-versions';
import { idleCorpus } from './idle-corpus';

let node24: string | undefined;
idleCorpus(
  `idle conformance corpus, checkpointed on ${process.version}, restored on Node 24`,
  { program: () => process.execPath, restore: () => (node24 ??= nodeOfMajor(24)) },
  { refusals: false },
);
