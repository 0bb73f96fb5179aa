// ferry-lines: 3,6
// ferry-here: 16#3
// qs: query strings parsed with nested objects and arrays, pulled from an async generator that
// awaits a timer between requests; a for-await loop is suspended at the checkpoint.
const qs = require('qs');
const requests = [
  'user[name]=ann&user[tags][]=a&user[tags][]=b&page=1',
  'filter[price][gte]=10&filter[price][lte]=20&sort=-date',
  'a[0]=x&a[1]=y&a[3]=z',
  'q=hello%20world&flags=on&flags=off',
  'deep[a][b][c][d]=1&list=1,2,3',
];
async function* incoming() {
  for (const r of requests) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield r;
  }
}
const stats = { keys: 0 };
async function serve() {
  let n = 0;
  for await (const raw of incoming()) {
    const parsed = qs.parse(raw, { comma: true, depth: 3 });
    stats.keys += Object.keys(parsed).length;
    console.log(++n, JSON.stringify(parsed));
    console.log('  back', qs.stringify(parsed, { encodeValuesOnly: true, arrayFormat: 'brackets' }));
  }
  console.log('keys', stats.keys);
}
serve();
