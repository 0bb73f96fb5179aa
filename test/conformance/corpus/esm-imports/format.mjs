import { config } from './lib.mjs';
export const pad = (n) => String(n).padStart(config.step, '0');
