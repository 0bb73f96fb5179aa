// ferry-lines: 2,4
// async (caolan): a queue with concurrency 1 whose workers call back from timers.
const async = require('async');
const done = [];
const q = async.queue((task, callback) => setTimeout(() => { done.push(task.name); console.log('worked', task.name, q.length()); callback(); }, 200), 1);
q.drain(() => console.log('drained', done.join(',')));
for (let i = 1; i <= 6; i++) q.push({ name: `t${i}` });
