import { kind } from 'shapes-pkg';
import { sides } from 'shapes-pkg/sides';
import label from './label.cjs';

export function describe(round) {
  const shape = round % 2 ? 'triangle' : 'hexagon';
  return `${label(round)} ${shape} has ${sides(shape)} sides (${kind})`;
}
