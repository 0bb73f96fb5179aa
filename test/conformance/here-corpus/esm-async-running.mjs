// Checkpoint Here inside an async function of an ES module while it runs (between its awaits):
// its function object is found among the program's async functions, which in a program of ES
// modules include the loader's own (several per module: ramda's 275 modules make a thousand and
// more), without a walk of the heap for each.
import { setTimeout as sleep } from 'node:timers/promises';
import { marked } from 'marked';
import * as R from 'ramda';

async function publish(pages) {
  const sizes = [];
  for (const [i, page] of pages.entries()) {
    await sleep(2);
    const html = marked.parse(page);
    sizes.push(R.length(html)); // @bp 2
    console.log(`page ${i}: ${html.trim()}`);
  }
  return sizes;
}

publish(['# One', 'Two *em*', '- three']).then((sizes) => console.log('sizes', sizes.join(',')));
