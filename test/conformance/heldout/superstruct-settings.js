// ferry-lines: 2,4
// ferry-here: 39#2
// Settings files checked and coerced with superstruct as they come in: a custom struct (define), a
// refinement, coercions from strings, defaults, and a running merge of what passed.
const { object, string, number, boolean, array, optional, enums, refine, coerce, define, defaulted, create, validate } =
  require('superstruct');

const Port = refine(coerce(number(), string(), (s) => Number.parseInt(s, 10)), 'Port', (n) => n > 0 && n < 65536);
const Hostname = define('Hostname', (v) => typeof v === 'string' && /^[a-z0-9.-]+$/.test(v));
const Settings = object({
  host: Hostname,
  port: Port,
  secure: defaulted(coerce(boolean(), string(), (s) => s === 'true'), false),
  level: defaulted(enums(['debug', 'info', 'warn']), 'info'),
  tags: optional(array(string())),
});

const merged = { files: 0, hosts: [] };
const inputs = [
  { host: 'api.example.com', port: '8443', secure: 'true', tags: ['edge'] },
  { host: 'Bad_Host', port: 80 },
  { host: 'db.internal', port: '70000' },
  { host: 'cache.internal', port: 6379, level: 'debug' },
  { host: 'queue.internal', port: '5672', level: 'loud' },
  { host: 'search.internal', port: '9200', tags: ['a', 'b'] },
];

let at = 0;
function step() {
  if (at === inputs.length) {
    console.log('merged', JSON.stringify(merged));
    return;
  }
  const [failure, settings] = validate(inputs[at], Settings, { coerce: true });
  if (failure) {
    console.log(at, 'invalid', failure.failures().map((f) => `${f.path.join('.')}: ${f.message}`).join(' | '));
  } else {
    merged.files++;
    merged.hosts.push(`${settings.host}:${settings.port}${settings.secure ? 's' : ''}`);
    console.log(at, 'ok', JSON.stringify(create(settings, Settings)));
  }
  at++;
  setTimeout(step, 10);
}
step();
