// An anonymous default export (an expression), and a binding passed on from counter.mjs.
const options = { prefix: '#' };
export default options;
export const format = (round) => `${options.prefix}round ${round}`;
export { current as now } from './counter.mjs';
