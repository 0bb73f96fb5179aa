// The standalone debug adapter: DAP over stdio, or over TCP with --server=PORT (to debug the adapter).
import { DebugSession } from '@vscode/debugadapter';
import { FerrySession } from './session';

DebugSession.run(FerrySession);
