// The idle conformance corpus (idle-corpus.ts) on one Node: this one, or the binary FERRY_TEST_NODE
// names; FERRY_RESTORE_NODE restores it on another (test/helpers/oracle.ts).
import { PROGRAM_NODE, RESTORE_NODE } from '../helpers/oracle';
import { idleCorpus } from './idle-corpus';

idleCorpus('idle conformance corpus', { program: () => PROGRAM_NODE, restore: () => RESTORE_NODE }, { refusals: true });
