// A helper module imported by esm-frames.mjs.
export const width = 3;
export const pad = (n) => String(n).padStart(width, '0');
