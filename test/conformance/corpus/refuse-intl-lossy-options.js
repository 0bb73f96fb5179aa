// ferry-refuse: an Intl.DateTimeFormat that its resolved options make again with another output
// A formatter is made again from its resolved options, which do not say everything: this ja-JP one
// writes 2024年4月3日(水), one made from its resolved options 2024/4/3(水). Refused, not changed.
const format = new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
console.log(format.format(Date.UTC(2024, 3, 3, 12)));
setInterval(() => format.format(Date.now()), 1000);
