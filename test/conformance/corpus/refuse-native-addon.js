// ferry-refuse: the native addon
// A program that loaded a native addon (a `.node` file) cannot move: its state lives in native
// code. The refusal names the addon as one (not as "a native function of the runtime"). The addon
// is built here from refuse-native-addon/hello.c, with the C compiler and this Node's headers, else
// the system's (the npm registry's Node has none beside it): an addon on Node-API loads in later Nodes.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join, dirname } = require('node:path');
const dir = join(__dirname, 'refuse-native-addon');
const headers = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node']
  .find((candidate) => existsSync(join(candidate, 'node_api.h')));
execFileSync('cc', ['-shared', '-fPIC', `-I${headers}`, '-o', join(dir, 'hello.node'), join(dir, 'hello.c')]);
const addon = require('./refuse-native-addon/hello.node');
console.log(addon.hello());
setInterval(() => addon.hello(), 1000);
