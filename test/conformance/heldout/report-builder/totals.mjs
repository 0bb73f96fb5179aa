// The program's own module: a running tally the report jobs add to.
import { sumBy } from 'lodash-es';
const seen = [];
export function record(rows) {
  seen.push(...rows);
  return sumBy(seen, 'amount');
}
export const count = () => seen.length;
