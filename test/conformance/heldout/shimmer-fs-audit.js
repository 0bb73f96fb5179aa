// ferry-lines: 1,3
// ferry-here: 24#2
// An audit layer that wraps fs with shimmer once the app is configured: reads of the settings
// file are counted and logged from then on; the wrapping happens while the app runs.
const fs = require('fs');
const path = require('path');
const shimmer = require('shimmer');

const settingsFile = path.join(process.cwd(), 'settings.json');
fs.writeFileSync(settingsFile, JSON.stringify({ mode: 'draft', retries: 2 }));
const audit = { reads: 0, paths: new Set() };

function enableAudit() {
  shimmer.wrap(fs, 'readFileSync', (original) =>
    function auditedReadFileSync(file, ...rest) {
      audit.reads++;
      audit.paths.add(path.basename(String(file)));
      return original.call(this, file, ...rest);
    },
  );
}

function readSettings(step) {
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  console.log(`step ${step}: mode=${settings.mode} retries=${settings.retries} audited=${audit.reads}`);
}

let step = 0;
const timer = setInterval(() => {
  step++;
  if (step === 2) enableAudit();
  if (step === 4) fs.writeFileSync(settingsFile, JSON.stringify({ mode: 'live', retries: 3 }));
  readSettings(step);
  if (step === 5) {
    clearInterval(timer);
    shimmer.unwrap(fs, 'readFileSync');
    readSettings('after unwrap');
    console.log(`audit: ${audit.reads} reads of ${[...audit.paths].join(',')}`);
  }
}, 150);
