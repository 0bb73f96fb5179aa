// Property attributes without a descriptor per property. Objects that share a V8 hidden class
// (map) have the same named keys with the same attributes, so one descriptor read per map serves
// every object of that shape. V8 answers "same map?" only through its natives syntax, which we
// enable for the instant it takes to compile three tiny predicates, then switch off again.
import { A } from '../../heap/tags';

export interface Natives {
  sameMap(a: object, b: object): boolean;
  fastProperties(o: object): boolean;
  dictionaryElements(o: object): boolean;
}

export function loadNatives(v8: { setFlagsFromString(flags: string): void }): Natives | undefined {
  const alreadyOn = process.execArgv.includes('--allow-natives-syntax');
  try {
    if (!alreadyOn) v8.setFlagsFromString('--allow-natives-syntax');
    return {
      sameMap: new Function('a', 'b', 'return %HaveSameMap(a, b)') as Natives['sameMap'],
      fastProperties: new Function('o', 'return %HasFastProperties(o)') as Natives['fastProperties'],
      dictionaryElements: new Function('o', 'return %HasDictionaryElements(o)') as Natives['dictionaryElements'],
    };
  } catch {
    return undefined; // a V8 without these natives: every object takes the descriptor path
  } finally {
    if (!alreadyOn) v8.setFlagsFromString('--no-allow-natives-syntax');
  }
}

export interface Shape {
  exemplar: object;
  /** Named (non-index) own keys in V8's order, and their attribute bits. */
  keys: Array<string | symbol>;
  flags: number[];
  hasAccessors: boolean;
  /** String-table indices of `keys` (-1 for symbols), filled in by the first writer. */
  keyIds?: number[];
}

const MAX_SHAPES_PER_PROTOTYPE = 16;

export class ShapeCache {
  private readonly byPrototype = new Map<object | null, Shape[]>();

  constructor(
    private readonly natives: Natives,
    /** The named keys of a typed array or DataView, read without listing its indices. */
    private readonly viewKeys: (view: object) => Array<string | symbol>,
  ) {}

  /**
   * The shape of a fast-mode object, or undefined when it must be read key by key. `small` makes a
   * small object that likely shares its map, to learn a new shape from instead of this one (the
   * named keys of a typed array are found only by listing all its indices).
   */
  shapeOf(object: object, proto: object | null, small?: () => object | undefined): Shape | undefined {
    if (!this.natives.fastProperties(object)) return undefined;
    if (small && !this.byPrototype.has(proto)) {
      const exemplar = small();
      if (exemplar && Object.getPrototypeOf(exemplar) === proto) this.shapeOf(exemplar, proto);
    }
    let shapes = this.byPrototype.get(proto);
    if (shapes) {
      for (let i = 0; i < shapes.length; i++) if (this.natives.sameMap(shapes[i].exemplar, object)) return shapes[i];
      if (shapes.length >= MAX_SHAPES_PER_PROTOTYPE) return undefined;
    } else {
      shapes = [];
      this.byPrototype.set(proto, shapes);
    }
    const keys: Array<string | symbol> = [];
    const flags: number[] = [];
    let hasAccessors = false;
    for (const key of ArrayBuffer.isView(object) ? this.viewKeys(object) : namedKeys(object)) {
      const d = Reflect.getOwnPropertyDescriptor(object, key)!;
      const accessor = !('value' in d);
      hasAccessors ||= accessor;
      keys.push(key);
      flags.push(
        (d.enumerable ? A.Enumerable : 0) |
          (d.configurable ? A.Configurable : 0) |
          (accessor ? A.Accessor : d.writable ? A.Writable : 0),
      );
    }
    const shape = { exemplar: object, keys, flags, hasAccessors };
    shapes.push(shape);
    return shape;
  }

  hasPlainElements(object: object): boolean {
    return !this.natives.dictionaryElements(object);
  }
}

/** Own keys that live in the map (not elements): everything but array indices. */
function namedKeys(object: object): Array<string | symbol> {
  return Reflect.ownKeys(object).filter((key) => typeof key === 'symbol' || !isIndex(key));
}

export function isIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false; // fast reject: most keys do not start with a digit
  return key === '0' || (/^[1-9]\d*$/.test(key) && Number(key) < 4294967295);
}
