// A module that awaits at its top level: the module importing it waits for it to finish.
import { setTimeout as sleep } from 'node:timers/promises';

export let loaded = false;
console.log('settings loading');
await sleep(60_000); // longer than the test: the checkpoint finds it awaiting, whatever the load
loaded = true;
