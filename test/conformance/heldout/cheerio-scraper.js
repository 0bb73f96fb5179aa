// ferry-lines: 2,4
// ferry-here: 27#2
// cheerio: pages loaded once and queried step by step through an async loop that awaits a timer
// between pages; the loaded documents (cheerio's DOM) cross the checkpoint, and so does the loop.
const cheerio = require('cheerio');
const { setTimeout: sleep } = require('timers/promises');
const pages = [
  '<ul id="fruits"><li class="apple">Apple</li><li class="orange">Orange</li><li class="pear">Pear</li></ul>',
  '<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>',
  '<div><a href="/a">A</a> <a href="/b" rel="x">B</a><p>para <b>bold</b></p></div>',
  '<article><h1>Title</h1><p class="lead">Lead text</p><p>Body</p></article>',
];
const docs = pages.map((html) => cheerio.load(html));
const seen = new Map();
class Extractor {
  constructor(selector) { this.selector = selector; this.count = 0; }
  run($) {
    const texts = $(this.selector).map((i, el) => $(el).text()).get();
    this.count += texts.length;
    return texts;
  }
}
const extractors = [new Extractor('li'), new Extractor('td'), new Extractor('a'), new Extractor('p')];
async function main() {
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < docs.length; i++) {
      const texts = extractors[i].run(docs[i]);
      seen.set(`${round}:${i}`, texts.length);
      docs[i]('body').append(`<span>round ${round}</span>`);
      console.log(round, i, texts.join('|'), docs[i]('span').length);
      await sleep(30);
    }
  }
  console.log('html', docs[0].html().length, [...seen.values()].join(','));
}
main();
