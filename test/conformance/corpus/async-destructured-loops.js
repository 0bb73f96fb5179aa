// ferry-lines: 1,3,5,6
// Async functions suspended inside for-of loops over arrays whose loop variable is destructured
// (`const [item, qty]`, `const { id, title: label }`): where each goes on is the one element that
// holds the variables' current values.
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const orders = [['apples', 3], ['kiwis', 7], ['pears', 3], ['apples', 1]];
const tasks = [{ id: 1, title: 'wash' }, { id: 2, title: 'dry' }, { id: 3, title: 'fold' }];

async function stock() {
  const totals = {};
  for (const [item, qty] of orders) {
    await wait(6);
    totals[item] = (totals[item] ?? 0) + qty;
    console.log('stock', item, qty, JSON.stringify(totals));
  }
}

async function chores() {
  for (const { id, title: label } of tasks) {
    await wait(6);
    console.log('chore', id, label);
  }
}

stock()
  .then(chores)
  .then(() => console.log('all done'));
