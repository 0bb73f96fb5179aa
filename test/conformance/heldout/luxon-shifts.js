// ferry-lines: 2,5
// ferry-here: 19#3
// luxon: a roster that books on-call shifts across three time zones, one day per timer step; a
// class method converts each shift to the engineer's zone, and an Interval checks overlaps.
const { DateTime, Interval, Duration } = require('luxon');

const start = DateTime.fromISO('2024-03-08T09:00:00', { zone: 'America/New_York' });
class Roster {
  constructor(people) {
    this.people = people;
    this.booked = [];
    this.hours = new Map(people.map((p) => [p.name, Duration.fromObject({ hours: 0 })]));
  }

  assign(day) {
    const person = this.people[day % this.people.length];
    const from = start.plus({ days: day });
    const shift = Interval.fromDateTimes(from, from.plus({ hours: day % 2 ? 10 : 8 }));
    const local = shift.start.setZone(person.zone); // the shift in the engineer's zone
    const clash = this.booked.find((b) => b.person === person.name && b.shift.overlaps(shift));
    this.booked.push({ person: person.name, shift });
    this.hours.set(person.name, this.hours.get(person.name).plus(shift.toDuration()));
    return `${from.toFormat('ccc dd LLL')} ${person.name} ${local.toFormat('HH:mm ZZZZ')}${clash ? ' CLASH' : ''}`;
  }
}

const roster = new Roster([
  { name: 'ana', zone: 'Europe/Lisbon' },
  { name: 'raj', zone: 'Asia/Kolkata' },
  { name: 'kim', zone: 'America/Los_Angeles' },
]);
let day = 0;
function next() {
  console.log(roster.assign(day));
  day++;
  if (day < 7) return setTimeout(next, 15);
  for (const [name, hours] of roster.hours) console.log(name, hours.shiftTo('hours').toHuman());
}
next();
