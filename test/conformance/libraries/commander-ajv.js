// ferry-lines: 2,4
// commander and ajv: a parsed command line and a compiled JSON schema validator (code ajv generates
// with new Function) used on a stream of records.
const { Command } = require('commander');
const Ajv = require('ajv');
const program = new Command().option('-n, --count <n>', 'records', (v) => Number(v)).option('--strict').parse(['node', 'x', '-n', '6', '--strict']);
const validate = new Ajv().compile({ type: 'object', properties: { id: { type: 'integer' }, label: { type: 'string', maxLength: 4 } }, required: ['id'] });
const records = [{ id: 1, label: 'ok' }, { id: 'two' }, { id: 3, label: 'toolong' }, { id: 4 }, { label: 'x' }, { id: 6, label: 'six' }];
let n = 0;
const iv = setInterval(() => {
  const record = records[n++];
  const valid = validate(record);
  console.log(n, program.opts().strict, valid, valid ? '' : validate.errors.map((e) => `${e.instancePath || '/'} ${e.keyword}`).join(';'));
  if (n === program.opts().count) clearInterval(iv);
}, 200);
