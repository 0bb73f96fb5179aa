// ferry-refuse: store: an AsyncLocalStorage in use
// Node 20 keeps each pending callback's store on its async resource, which a restore makes afresh:
// restored, the timer's callback read undefined instead of { request: 1 }. Refused by name.
const { AsyncLocalStorage } = require('async_hooks');
const requests = { store: new AsyncLocalStorage() };
requests.store.run({ request: 1 }, () => {
  setTimeout(() => console.log('request', requests.store.getStore()?.request), 60_000);
});
console.log('handling');
