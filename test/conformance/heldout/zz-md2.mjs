import { marked } from 'marked';
const format = (d) => d.toISOString().slice(0, 10);
const addDays = (d, n) => new Date(d.getTime() + n * 864e5);
import { v5 as uuidv5 } from 'uuid';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFile, mkdir } from 'node:fs/promises';

const NS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const posts = [
  { title: 'Hello', body: '# Hello\n\nFirst *post*.' },
  { title: 'Second', body: '## Second\n\n- a\n- b' },
  { title: 'Third', body: 'Plain [link](https://x.org).' },
];
const start = new Date(Date.UTC(2024, 0, 1));
await mkdir('site', { recursive: true });

export async function build() {
  const index = [];
  for (const [i, post] of posts.entries()) {
    const id = uuidv5(post.title, NS);
    const date = format(addDays(start, i * 7));
    const html = await marked.parse(post.body, { async: true });
    await writeFile(`site/${id}.html`, `<p>${date}</p>\n${html}`);
    index.push(`${date} ${post.title} ${id}`);
    console.log(`published ${post.title} (${html.length} bytes)`);
    await sleep(5);
  }
  return index;
}
const index = await build();
await writeFile('site/index.txt', index.join('\n'));
console.log('index written', index.length);
