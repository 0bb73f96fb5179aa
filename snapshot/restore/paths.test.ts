// Which paths a restore with --cwd rewrites: the old directory where it stands for itself, as a
// whole string or inside longer text, and nothing that only looks like it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeNamingDirectory, pathMapper } from './paths';

const mapPath = pathMapper({ from: '/srv/job', to: '/home/u/moved' });

describe('pathMapper', () => {
  it('rewrites paths under the old directory, whole or inside longer text', () => {
    const cases: Array<[string, string]> = [
      ['/srv/job', '/home/u/moved'],
      ['/srv/job/out/a.txt', '/home/u/moved/out/a.txt'],
      ['file:///srv/job/x.js', 'file:///home/u/moved/x.js'],
      ['/srv/job/a.txt:12', '/home/u/moved/a.txt:12'],
      ['--out=/srv/job/out', '--out=/home/u/moved/out'],
      ['/usr/lib:/srv/job/lib:/srv/job', '/usr/lib:/home/u/moved/lib:/home/u/moved'],
      ['{"log":"/srv/job/a.log"}', '{"log":"/home/u/moved/a.log"}'],
      ['see file:///srv/job/notes.txt for notes', 'see file:///home/u/moved/notes.txt for notes'],
      ['cp /srv/job/a /srv/job/b', 'cp /home/u/moved/a /home/u/moved/b'],
    ];
    for (const [before, after] of cases) assert.equal(mapPath(before), after, before);
  });

  it('leaves other paths that merely contain the directory as they are', () => {
    for (const value of [
      '/srv/job2/a',
      '/srv/job.bak',
      '/backup/srv/job/a',
      'x/srv/job',
      'srv/job',
      'file:///srv/jobs',
    ])
      assert.equal(mapPath(value), value);
  });

  it('rewrites a directory whose name needs escaping in a URL in both its forms', () => {
    const spaced = pathMapper({ from: '/srv/my job', to: '/tmp/b' });
    assert.equal(spaced('file:///srv/my%20job/a /srv/my job/a'), 'file:///tmp/b/a /tmp/b/a');
  });
});

describe('codeNamingDirectory', () => {
  it('names each line of code that names the old directory', () => {
    const source = "const a = 1;\nconst config = '/srv/job/config.json';\nconst other = '/srv/jobs';\n";
    assert.deepEqual(codeNamingDirectory([{ url: 'file:///srv/job/app.js', source }], { from: '/srv/job', to: '/x' }), [
      { url: 'file:///srv/job/app.js', line: 2 },
    ]);
  });
});
