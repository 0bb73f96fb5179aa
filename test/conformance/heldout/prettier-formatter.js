// ferry-lines: 2,4
// ferry-here: 26#3
// ferry-ssh-left-behind: formatted-app.js formatted-style.css
// prettier: a pre-commit style formatter over a few sources of different languages, each formatted
// through prettier's promise API, compared with its input, and the changed ones written out; the
// next file is taken from a queue after each write's callback, and a pause. Prettier import()s a
// plugin as it meets its language: on a host, from the checkpoint (files written before it stay).
const prettier = require('prettier');
const fs = require('fs');

const sources = [
  { file: 'app.js', text: 'const a = {b:1,c:[1,2,3]}\nfunction f(x){return x*2}\n' },
  { file: 'style.css', text: 'a{color:red;margin:0 0 0 0}\n.b   .c{display:none}\n' },
  { file: 'data.json', text: '{"name":"x","list":[1,2,3],"nested":{"ok":true}}' },
  { file: 'README.md', text: '# Title\n\n* one\n* two\n\nSome   text.\n' },
  { file: 'types.ts', text: 'interface P{name:string;age?:number}\nconst p:P={name:"a"}\n' },
  { file: 'clean.js', text: 'const ok = 1;\n' },
];
const queue = [...sources];
const changed = new Map();

function next() {
  const item = queue.shift();
  if (!item) return done();
  prettier.format(item.text, { filepath: item.file, singleQuote: true, printWidth: 60 }).then((out) => {
    const same = out === item.text;
    console.log(`${item.file}: ${same ? 'unchanged' : `${out.split('\n').length - 1} line(s)`}`);
    if (same) return setTimeout(next, 30);
    changed.set(item.file, out);
    fs.writeFile(`formatted-${item.file}`, out, (err) => {
      if (err) throw err;
      setTimeout(next, 30);
    });
  });
}
function done() {
  console.log('changed:', [...changed.keys()].join(' '));
  const sizes = [...changed.values()].reduce((n, text) => n + text.length, 0);
  console.log('bytes written:', sizes);
}
next();
