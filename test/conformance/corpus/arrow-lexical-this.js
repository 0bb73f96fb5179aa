// ferry-lines: 1,3
// Arrow functions that read `this` and `arguments` of the method that made them (a very common
// shape: callbacks in class methods). The scope view leaves `this` out; the heap snapshot has it.
class Poller {
  constructor(name) {
    this.name = name;
    this.polls = 0;
  }
  start(limit) {
    const first = arguments[0];
    const timer = setInterval(() => {
      this.polls++;
      console.log(`${this.name} poll ${this.polls} of ${limit} (first arg ${first}, args ${arguments.length})`);
      if (this.polls === limit) clearInterval(timer);
    }, 60);
  }
}
new Poller('alpha').start(7);
