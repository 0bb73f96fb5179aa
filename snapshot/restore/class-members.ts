// Which functions of the checkpoint are methods or accessors of a class it holds: those the
// restore takes from the restored class (only code inside a class's body may name its private
// members, and a method's `super` is its class's). Found on the class and its prototype, or held
// elsewhere once the program deleted them from there (undici's `static getHeadersGuard (o) { return
// o.#guard }`, taken out of `Headers` right after it is made). A function is a member by where it
// stands: its text at a member's place in its class's text, whatever key the program keeps it under.
import { K } from '../heap/tags';
import { Ref, type HeapRecord, type Property } from '../heap/decoder';
import { isClassSource, restoredClassMembers, type RestoredMember } from './function-source';
import { ScriptPlaces } from './class-hosts';
import type { FunctionSite, SourceEntry } from '../format/sections';

export interface ClassMember {
  classId: number;
  /** Where the restored class defines it (its key there, on the class itself or its prototype). */
  member: RestoredMember;
}

/** The property of a descriptor that holds a member of this kind. */
export function memberField(member: RestoredMember): 'value' | 'get' | 'set' {
  return member.kind === 'method' ? 'value' : member.kind;
}

export function findClassMembers(
  records: HeapRecord[],
  sites: FunctionSite[],
  sources: SourceEntry[],
): Map<number, ClassMember> {
  const places = new ScriptPlaces(new Map(sources.map((s) => [s.scriptId, s])));
  /** The member a function is of a class, by its text and, where its script is known, its place. */
  const memberAt = (members: RestoredMember[], classSite: FunctionSite, site: FunctionSite | undefined) => {
    if (site?.scriptId !== classSite.scriptId) return undefined;
    const at = places.fromClassStart(classSite, site);
    return members.find((m) => m.text === site.source && (at === undefined || m.at === at));
  };
  const found = new Map<number, ClassMember>();
  /** Classes with members by script and context: where members taken out of them are looked for. */
  const classesAt = new Map<string, Array<{ classId: number; classSite: FunctionSite; members: RestoredMember[] }>>();
  const ofSite = new Map<number, RestoredMember[]>();
  records.forEach((record, classId) => {
    if (record.kind !== K.Function) return;
    const classSite = sites[record.site];
    if (!isClassSource(classSite?.source)) return;
    if (!ofSite.has(record.site)) ofSite.set(record.site, restoredClassMembers(classSite.source));
    const members = ofSite.get(record.site)!;
    const where = `${classSite.scriptId} ${contextOf(record)}`;
    if (members.length > 0)
      (classesAt.get(where) ?? classesAt.set(where, []).get(where)!).push({ classId, classSite, members });
    const scan = (props: Property[], isStatic: boolean) => {
      for (const p of props)
        for (const field of ['value', 'get', 'set'] as const) {
          const id = p[field] instanceof Ref ? p[field].id : undefined;
          const fn = id === undefined ? undefined : records[id];
          if (fn?.kind !== K.Function) continue;
          const member = memberAt(members, classSite, sites[fn.site]);
          if (member && memberField(member) === field && member.static === isStatic)
            found.set(id!, { classId, member });
        }
    };
    scan(record.props, true);
    const proto = refRecord(records, record.props.find((p) => p.key === 'prototype')?.value);
    if (proto && 'props' in proto) scan(proto.props, false);
  });
  // Members the program took out of their class: at a member's place in the text of a class made in
  // the same context (a class and its methods close over the class's scope), never by text alone.
  records.forEach((record, id) => {
    const site = record.kind === K.Function && !found.has(id) ? sites[record.site] : undefined;
    for (const c of (site && classesAt.get(`${site.scriptId} ${contextOf(record)}`)) || []) {
      const placed = c.classId !== id && places.fromClassStart(c.classSite, site!) !== undefined;
      const member = placed ? memberAt(c.members, c.classSite, site) : undefined;
      if (member) return void found.set(id, { classId: c.classId, member });
    }
  });
  return found;
}

function contextOf(record: HeapRecord): number | null {
  return record.kind === K.Function && record.context instanceof Ref ? record.context.id : null;
}

function refRecord(records: HeapRecord[], slot: unknown): HeapRecord | undefined {
  return slot instanceof Ref ? records[slot.id] : undefined;
}
