// Objects made by classes with private members (#x). Nothing outside a class can give an object
// its private fields or the brand its private methods check, so the restored class does it: its
// source is re-created (function-source.ts) with a setter for its private fields, registered here
// from a static block, and with a mode in which constructing it runs none of its code, so an
// instance is made by the class chain itself (`make`) and then filled like any object (`fill`).

import { K } from '../heap/tags';
import { Ref, type HeapRecord } from '../heap/decoder';
import type { FunctionSite } from '../format/sections';
import { isClassSource } from './function-source';
import type { ProgramFunction } from '../heap/program-value';

type Rec<T extends K> = Extract<HeapRecord, { kind: T }>;
type InstanceSetter = (object: object, fields: Map<string, unknown>) => void;
type StaticSetter = (fields: Map<string, unknown>) => void;

/** What the restored classes' generated code sees as `$ferryStamp`. */
export class PrivateStamp {
  /** While true, the classes made with `stamped` skip their field initialisers and constructor bodies. */
  active = false;
  private readonly instanceSetters = new Map<object, InstanceSetter>();
  private readonly staticSetters = new Map<ProgramFunction, StaticSetter>();

  register(cls: ProgramFunction, instance: InstanceSetter, statics: StaticSetter): void {
    this.instanceSetters.set(cls.prototype, instance);
    this.staticSetters.set(cls, statics);
  }

  /**
   * An instance of `cls` with its private fields (undefined for now) and brands, and none of its
   * own properties: built-in constructors up the chain (EventEmitter) may have added some.
   */
  make(cls: ProgramFunction): object {
    this.active = true;
    let object: object;
    try {
      object = Reflect.construct(cls, [], cls);
    } finally {
      this.active = false;
    }
    for (const key of Reflect.ownKeys(object)) {
      if (Reflect.getOwnPropertyDescriptor(object, key)?.configurable) Reflect.deleteProperty(object, key);
    }
    return object;
  }

  /** Gives an instance its private field values, each class of its chain writing its own. */
  fill(object: object, fields: Map<string, unknown>): void {
    for (let p = Object.getPrototypeOf(object); p !== null; p = Object.getPrototypeOf(p))
      this.instanceSetters.get(p)?.(object, fields);
  }

  /** Gives a class its static private field values. */
  fillStatics(cls: ProgramFunction, fields: Map<string, unknown>): void {
    const set = this.staticSetters.get(cls);
    if (!set)
      throw new Error(
        `checkpoint corrupted: class ${cls.name || '(anonymous)'} has static private fields but declares none`,
      );
    set(fields);
  }
}

/**
 * The classes that make instances with private members (their class, and every class above it),
 * each such instance's class (the one whose prototype it has), and those of the classes whose parent
 * is a plain function of the program: that function's body must not run again to make an instance
 * (it could log, count or connect), and it made only ordinary objects, so such a class keeps its
 * empty placeholder parent until its contents are filled.
 */
export function stampedClasses(
  records: HeapRecord[],
  sites: FunctionSite[],
): { classOf: Map<number, number>; stamped: Set<number>; overPlainFunctions: Set<number> } {
  const classByPrototype = new Map<number, number>();
  const isClass = (id: number) =>
    records[id]?.kind === K.Function && isClassSource(sites[(records[id] as Rec<K.Function>).site]?.source);
  records.forEach((record, id) => {
    if (!isClass(id)) return;
    const proto = (record as Rec<K.Function>).props.find((p) => p.key === 'prototype')?.value;
    if (proto instanceof Ref) classByPrototype.set(proto.id, id);
  });
  const classOf = new Map<number, number>();
  const stamped = new Set<number>();
  const overPlainFunctions = new Set<number>();
  records.forEach((record, id) => {
    // Objects, Maps and Sets (heap/decoder.ts: KINDS_WITH_PRIVATES); a class's static ones are its own.
    if (record.kind === K.Function || !('privates' in record) || !('proto' in record) || !record.privates) return;
    const cls = record.proto instanceof Ref ? classByPrototype.get(record.proto.id) : undefined;
    if (cls === undefined)
      throw new Error(
        `checkpoint not restorable: object ${id} has private members but its prototype is not its class's`,
      );
    classOf.set(id, cls);
    for (let c: number | undefined = cls; c !== undefined && !stamped.has(c);) {
      stamped.add(c);
      const parent: unknown = (records[c] as Rec<K.Function>).proto;
      const above = parent instanceof Ref && isClass(parent.id) ? parent.id : undefined;
      if (above === undefined && parent instanceof Ref && records[parent.id].kind === K.Function)
        overPlainFunctions.add(c);
      c = above;
    }
  });
  return { classOf, stamped, overPlainFunctions };
}

/** Gives a class and its prototype object their captured parents (normally done with the contents). */
export function linkClass(
  id: number,
  records: HeapRecord[],
  objects: unknown[],
  made: boolean[],
  resolve: (slot: unknown) => unknown,
): void {
  const record = records[id] as Rec<K.Function>;
  const cls = objects[id] as ProgramFunction;
  const protoSlot = record.props.find((p) => p.key === 'prototype')?.value;
  const protoRecord = protoSlot instanceof Ref ? records[protoSlot.id] : undefined;
  for (const [object, slot] of [
    [cls, record.proto],
    [cls.prototype, protoRecord && 'proto' in protoRecord ? protoRecord.proto : undefined],
  ] as const) {
    if (slot instanceof Ref && !made[slot.id])
      throw new Error(
        `checkpoint not restorable: class ${cls.name || id} with private members has a parent that is not a class or built-in`,
      );
    const parent = resolve(slot);
    if (Object.getPrototypeOf(object) !== parent) Object.setPrototypeOf(object, parent as object | null);
  }
}
