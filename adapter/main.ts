// The standalone debug adapter: DAP over stdio, or over TCP with --server=PORT (to debug the adapter).
import { DebugSession } from '@vscode/debugadapter';
import { FerrySession } from './session';

// A failed request must not end the whole debug session: requests answer their own errors, and
// anything that slips through is logged on stderr (the client's adapter log) instead of crashing.
process.on('unhandledRejection', (reason) => console.error('ferry adapter: unhandled rejection:', reason));

DebugSession.run(FerrySession);
