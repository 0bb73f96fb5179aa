// ferry-lines: 2,4
// rxjs: an interval through map/filter/scan into a Subject with two subscribers; the subscription
// graph (operators, subscribers, the interval's scheduled action) crosses the checkpoint.
const { interval, Subject } = require('rxjs');
const { map, filter, scan, take } = require('rxjs/operators');
const totals = new Subject();
totals.subscribe((t) => console.log('total', t));
totals.subscribe({ next: (t) => t > 20 && console.log('big', t), complete: () => console.log('done') });
interval(200).pipe(take(8), map((i) => i * 3), filter((v) => v % 2 === 0), scan((sum, v) => sum + v, 0)).subscribe(totals);
