// ferry-lines: 2,4
// A method keyed by a module's symbol that names a private member (`[kClose]() { this.#client… }`,
// undici's proxy wrapper): only its class's body may name #client, so the restored method is the
// restored class's own, found by its key, not a function made on its own.
const kClose = Symbol('close');
const kDispatch = Symbol('dispatch');
class Wrapper {
  #client;
  #sent = 0;
  constructor(name) { this.#client = { name, open: true }; }
  [kDispatch](what) { this.#sent++; return `${this.#client.name} <- ${what} (${this.#sent})`; }
  [kClose]() { this.#client.open = false; return `${this.#client.name} closed after ${this.#sent}`; }
}
const wrapper = new Wrapper('proxy');
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(wrapper[kDispatch](`req${n}`));
  if (n === 6) {
    clearInterval(iv);
    console.log(wrapper[kClose](), new Wrapper('fresh')[kDispatch]('x'));
  }
}, 20);
