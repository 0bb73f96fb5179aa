// ferry-lines: 3,7
// ferry-here: 32#5
// xstate v4: an interpreted machine whose delayed transitions are xstate's own timers, with guards
// and assign actions. Breakpoint in the onTransition listener.
const { createMachine, interpret, assign } = require('xstate');
const machine = createMachine(
  {
    id: 'light',
    predictableActionArguments: true,
    initial: 'green',
    context: { cycles: 0, log: [] },
    states: {
      green: { entry: 'note', after: { 40: 'yellow' } },
      yellow: { entry: 'note', after: { 20: 'red' } },
      red: {
        entry: ['note', 'count'],
        after: [{ delay: 30, target: 'green', cond: 'more' }, { delay: 30, target: 'off' }],
      },
      off: { type: 'final', entry: 'note' },
    },
  },
  {
    actions: {
      note: assign({ log: (ctx, ev) => [...ctx.log, ev.type] }),
      count: assign({ cycles: (ctx) => ctx.cycles + 1 }),
    },
    guards: { more: (ctx) => ctx.cycles < 3 },
  },
);
const service = interpret(machine)
  .onTransition((state) => {
    if (state.changed !== false) console.log('now', state.value, 'cycles', state.context.cycles);
  })
  .onDone(() => console.log('done', service.getSnapshot().context.log.join('>')));
service.start();
