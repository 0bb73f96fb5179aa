// ferry-lines: 2,3
// ferry-here: 16#3
// marked: a docs builder that renders pages one per immediate with a renderer of its own (heading
// ids, external links marked) and a walkTokens hook collecting a table of contents per page.
const { Marked } = require('marked');

const toc = [];
const marked = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'heading') toc.push(`${'  '.repeat(token.depth - 1)}${token.text}`);
  },
  renderer: {
    heading({ tokens, depth }) {
      const text = this.parser.parseInline(tokens);
      const id = text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      return `<h${depth} id="${id}">${text}</h${depth}>\n`;
    },
    link({ href, text }) {
      return href.startsWith('http') ? `<a href="${href}" rel="external">${text}</a>` : `<a href="${href}">${text}</a>`;
    },
  },
});
const pages = {
  intro: '# Intro\n\nRead the [guide](/guide) or [npm](https://npmjs.com).\n\n## Why\n\n- fast\n- *small*',
  guide: '# Guide\n\n## Install\n\n```sh\nnpm i thing\n```\n\n## Use\n\n| a | b |\n|---|---|\n| 1 | 2 |',
  faq: '# FAQ\n\n### Does it work?\n\nYes. See [intro](/intro).',
};
const names = Object.keys(pages);
function renderNext() {
  const name = names.shift();
  if (!name) return console.log('toc\n' + toc.join('\n'));
  const html = marked.parse(pages[name]);
  console.log(`${name}: ${html.length} chars`, html.split('\n')[0]);
  setTimeout(renderNext, 12);
}
setImmediate(renderNext);
