// ferry-lines: 2,4
// ferry-here: 20#3
// markdown-it: a renderer with a custom rule and a plugin, rendering one note per timer step into
// an HTML file it appends to; a notebook class instance keeps the rendered notes.
const fs = require('fs');
const MarkdownIt = require('markdown-it');
const md = new MarkdownIt({ linkify: true, typographer: true });
let headings = 0;
md.core.ruler.push('count_headings', (state) => {
  headings += state.tokens.filter((t) => t.type === 'heading_open').length;
});
const defaultLink = md.renderer.rules.link_open || ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i].attrSet('rel', 'nofollow');
  return defaultLink(tokens, i, options, env, self);
};
class Notebook {
  constructor(file) { this.file = file; this.notes = []; }
  add(title, body) {
    const html = md.render(`# ${title}\n\n${body}`);
    this.notes.push({ title, length: html.length });
    fs.appendFileSync(this.file, html);
    return html;
  }
}
const book = new Notebook('notes.html');
const drafts = [
  ['Monday', 'Read *the docs* at https://example.com -- "carefully".'],
  ['Tuesday', '- one\n- two\n- **three**'],
  ['Wednesday', '```js\nconst x = 1;\n```'],
  ['Thursday', '> quoted (c) text... and [a link](http://a.b/c)'],
  ['Friday', '## Sub\n\n1. first\n2. second'],
  ['Saturday', 'Plain text with `code`.'],
];
function next() {
  const [title, body] = drafts.shift();
  const html = book.add(title, body);
  console.log(title, html.length, 'headings', headings, html.split('\n')[0]);
  if (drafts.length) setTimeout(next, 40);
  else console.log('notes', book.notes.map((n) => n.length).join(','));
}
setTimeout(next, 40);
