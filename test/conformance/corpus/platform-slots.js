// ferry-lines: 2,4
// Objects whose state lives in V8's internal slots, not in properties: Intl formatters (made again
// from their resolved options, locale and time zone included), a WeakRef (to its live target), a
// FinalizationRegistry with no registrations, a DOMException. Each still works after a restore.
const held = {
  money: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }),
  date: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }),
  collator: new Intl.Collator('de', { sensitivity: 'base' }),
  plural: new Intl.PluralRules('en-US', { type: 'ordinal' }),
  relative: new Intl.RelativeTimeFormat('en', { numeric: 'auto' }),
  list: new Intl.ListFormat('en', { type: 'disjunction' }),
  words: new Intl.Segmenter('en', { granularity: 'word' }),
  regions: new Intl.DisplayNames(['fr'], { type: 'region' }),
  locale: new Intl.Locale('en-Latn-US', { calendar: 'gregory', hourCycle: 'h23' }),
  error: new DOMException('took too long', 'TimeoutError'),
};
const cache = { name: 'cache' };
const ref = new WeakRef(cache);
const registry = new FinalizationRegistry((token) => console.log('collected', token));
let tick = 0;
const timer = setInterval(() => {
  tick++;
  console.log([
    held.money.format(1234.5 * tick), held.date.format(new Date(86400000 * tick)), held.collator.compare('a', 'ä'),
    held.plural.select(tick), held.relative.format(-tick, 'day'), held.list.format(['x', 'y', String(tick)]),
    [...held.words.segment(`hello there ${tick}`)].filter((s) => s.isWordLike).length, held.regions.of('DE'),
    held.locale.toString(), held.locale.hourCycle, held.error.name, held.error.message, held.error.code, held.error instanceof DOMException,
    ref.deref() === cache, ref.deref().name, typeof registry.register,
  ].join(' | '));
  if (tick === 5) clearInterval(timer);
}, 100);
