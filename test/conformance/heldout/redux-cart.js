// ferry-lines: 2,5
// ferry-here: 32#3
// A shopping cart in redux with reselect selectors; two carts made by one factory.
const { createStore, combineReducers } = require('redux');
const { createSelector } = require('reselect');

function makeCart(currency) {
  let rounding = 2;
  rounding = currency === 'JPY' ? 0 : rounding;
  const items = (state = [], action) =>
    action.type === 'add' ? [...state, action.item] : action.type === 'clear' ? [] : state;
  const store = createStore(combineReducers({ items }));
  const total = createSelector(
    (s) => s.items,
    (list) => list.reduce((sum, it) => sum + it.price * it.qty, 0).toFixed(rounding),
  );
  const label = (s) => `${total(s)} ${currency}`;
  return { store, label };
}

const carts = [makeCart('EUR'), makeCart('EUR')];
const products = [
  { sku: 'pen', price: 1.25, qty: 3 },
  { sku: 'ink', price: 4.5, qty: 1 },
  { sku: 'pad', price: 2.1, qty: 2 },
];
let step = 0;
carts.forEach((cart, i) => cart.store.subscribe(() => console.log(`cart ${i}: ${cart.label(cart.store.getState())}`)));
const timer = setInterval(() => {
  const cart = carts[step % 2];
  cart.store.dispatch({ type: 'add', item: products[step % products.length] });
  step++;
  if (step === 8) {
    carts[1].store.dispatch({ type: 'clear' });
    clearInterval(timer);
  }
}, 200);
