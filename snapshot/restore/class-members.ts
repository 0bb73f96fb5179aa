// Which functions of the checkpoint are methods or accessors of a class it holds: those the
// restore takes from the restored class (only code inside a class's body may name its private
// members, and a method's `super` is its class's). Found on the class and its prototype, or held
// elsewhere once the program deleted them from there (undici's `static getHeadersGuard (o) { return
// o.#guard }`, taken out of `Headers` right after it is made). Matched by their text, so that a
// member is found whatever key the program keeps it under.
import { K } from '../heap/tags';
import { Ref, type HeapRecord, type Property } from '../heap/decoder';
import { isClassSource, restoredClassMembers, type RestoredMember } from './function-source';
import type { FunctionSite } from '../format/sections';

export interface ClassMember {
  classId: number;
  /** Where the restored class defines it (its key there, on the class itself or its prototype). */
  member: RestoredMember;
}

/** The property of a descriptor that holds a member of this kind. */
export function memberField(member: RestoredMember): 'value' | 'get' | 'set' {
  return member.kind === 'method' ? 'value' : member.kind;
}

type Candidate = { classId: number; member: RestoredMember };

export function findClassMembers(records: HeapRecord[], sites: FunctionSite[]): Map<number, ClassMember> {
  const found = new Map<number, ClassMember>();
  /** By script, then by text: the members of every class, for the functions found nowhere on their class. */
  const byText = new Map<string, Map<string, Candidate[]>>();
  const ofSite = new Map<number, RestoredMember[]>();
  records.forEach((record, classId) => {
    if (record.kind !== K.Function) return;
    const classSite = sites[record.site];
    if (!isClassSource(classSite?.source)) return;
    if (!ofSite.has(record.site)) ofSite.set(record.site, restoredClassMembers(classSite.source));
    const members = ofSite.get(record.site)!;
    for (const member of members) {
      const texts =
        byText.get(classSite.scriptId) ?? byText.set(classSite.scriptId, new Map()).get(classSite.scriptId)!;
      (texts.get(member.text) ?? texts.set(member.text, []).get(member.text)!).push({ classId, member });
    }
    const scan = (props: Property[], isStatic: boolean) => {
      for (const p of props)
        for (const field of ['value', 'get', 'set'] as const) {
          const id = p[field] instanceof Ref ? p[field].id : undefined;
          const fn = id === undefined ? undefined : records[id];
          if (fn?.kind !== K.Function || sites[fn.site]?.scriptId !== classSite.scriptId) continue;
          const text = sites[fn.site].source;
          const member = members.find((m) => m.text === text && memberField(m) === field && m.static === isStatic);
          if (member) found.set(id!, { classId, member });
        }
    };
    scan(record.props, true);
    const proto = refRecord(records, record.props.find((p) => p.key === 'prototype')?.value);
    if (proto && 'props' in proto) scan(proto.props, false);
  });
  findDeletedMembers(records, sites, byText, found);
  return found;
}

/**
 * Members the program took out of their class: a function of a script holding classes, found on
 * none, whose text is a member's of a class made in the same context as it (a class and its
 * methods close over the class's scope).
 */
function findDeletedMembers(
  records: HeapRecord[],
  sites: FunctionSite[],
  byText: Map<string, Map<string, Candidate[]>>,
  found: Map<number, ClassMember>,
): void {
  records.forEach((record, id) => {
    if (record.kind !== K.Function || found.has(id)) return;
    const site = sites[record.site];
    const candidates = site && byText.get(site.scriptId)?.get(site.source);
    const context = contextOf(record);
    const match = candidates?.find((c) => contextOf(records[c.classId]) === context && c.classId !== id);
    if (match) found.set(id, match);
  });
}

function contextOf(record: HeapRecord): number | null {
  return record.kind === K.Function && record.context instanceof Ref ? record.context.id : null;
}

function refRecord(records: HeapRecord[], slot: unknown): HeapRecord | undefined {
  return slot instanceof Ref ? records[slot.id] : undefined;
}
