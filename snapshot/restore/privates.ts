// Objects made by classes with private members (#x). Nothing outside a class can give an object
// its private fields or the brand its private methods check, so the restored class does it: its
// source is re-created (function-source.ts) with a setter for its private fields, registered here
// from a static block, and with a mode in which constructing it runs none of its code, so an
// instance is made by the class chain itself (`make`) and then filled like any object (`fill`).

type InstanceSetter = (object: object, fields: Map<string, unknown>) => void;
type StaticSetter = (fields: Map<string, unknown>) => void;

/** What the restored classes' generated code sees as `$ferryStamp`. */
export class PrivateStamp {
  /** While true, the classes made with `stamped` skip their field initialisers and constructor bodies. */
  active = false;
  private readonly instanceSetters = new Map<object, InstanceSetter>();
  private readonly staticSetters = new Map<Function, StaticSetter>();

  register(cls: Function, instance: InstanceSetter, statics: StaticSetter): void {
    this.instanceSetters.set(cls.prototype, instance);
    this.staticSetters.set(cls, statics);
  }

  /**
   * An instance of `cls` with its private fields (undefined for now) and brands, and none of its
   * own properties: built-in constructors up the chain (EventEmitter) may have added some.
   */
  make(cls: Function): object {
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
    for (let p = Object.getPrototypeOf(object); p !== null; p = Object.getPrototypeOf(p)) this.instanceSetters.get(p)?.(object, fields);
  }

  /** Gives a class its static private field values. */
  fillStatics(cls: Function, fields: Map<string, unknown>): void {
    const set = this.staticSetters.get(cls);
    if (!set) throw new Error(`checkpoint corrupted: class ${cls.name || '(anonymous)'} has static private fields but declares none`);
    set(fields);
  }
}
