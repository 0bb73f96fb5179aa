// Drives Ferry in code-server from headless Chromium, as a person would: open the sample, set a
// breakpoint, start a `ferry` debug session, stop there, run Ferry commands from the palette, see
// the checkpoint in the Checkpoints view, resume it and see the program go on; then Checkpoint and
// Stop, and release the connection it left held from the checkpoint's context menu.
// usage: node ui-test.mjs URL WORKSPACE SHOT_DIR [SSH_HOST]
import fs from 'node:fs';
import path from 'node:path';
const { chromium } = await import(`${process.env.E2E_DIR}/tools/node_modules/playwright-core/index.mjs`);
const [url, ws, shots, host] = process.argv.slice(2);
const t0 = Date.now();
const log = (...a) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s`, ...a);
const udd = fs.mkdtempSync(`${process.env.E2E_DIR}/chrome-`);
const ctx = await chromium.launchPersistentContext(udd, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 860 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });

async function palette(title, ms = 30000) {
  // The palette lists an extension's commands once the extension host has scanned them: retry until it shows.
  const end = Date.now() + ms;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exact }) })
      .first();
    try {
      await row.waitFor({ timeout: 2000 });
      await row.click();
      return;
    } catch (error) {
      if (Date.now() > end) throw new Error(`command "${title}" not in the palette: ${error.message}`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}
const notification = (text, timeout = 30000) =>
  page.locator('.notification-toast', { hasText: text }).first().waitFor({ timeout });
const repl = (text, timeout = 30000) =>
  page.locator('.repl .monaco-list-row', { hasText: text }).first().waitFor({ timeout });
// A tree item's inline action shows while the pointer is over the item; the list re-renders as the
// views around it change (a session ends, the Debug Console grows), so hover again until it takes.
async function itemAction(item, label, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await item.hover({ timeout: 5000 });
      await item.locator(`.action-label[aria-label^="${label}"]`).click({ timeout: 3000 });
      return;
    } catch (error) {
      if (Date.now() > end) throw new Error(`the "${label}" action of the Checkpoints view: ${error.message}`);
      await page.mouse.move(0, 0);
      await page.waitForTimeout(300);
    }
  }
}
// "Debug: Stop" acts on the focused session; one started a moment ago from a view may not be focused
// yet, and VS Code answers with a modal "no program is being debugged": dismiss it and ask again.
async function stopDebugging() {
  for (let attempt = 1; ; attempt++) {
    await palette('Debug: Stop');
    // Whichever comes first; the other wait runs out later, quietly.
    const stopped = page
      .locator('.debug-toolbar')
      .waitFor({ state: 'hidden', timeout: 20000 })
      .then(
        () => true,
        () => false,
      );
    const refused = page
      .locator('.monaco-dialog-box')
      .waitFor({ timeout: 20000 })
      .then(
        () => false,
        () => false,
      );
    if (await Promise.race([stopped, refused])) return;
    if (attempt === 3) throw new Error('Debug: Stop did not end the session');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
}
const clearNotifications = () => palette('Notifications: Clear All Notifications').catch(() => {});

let ok = true;
try {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'job.js' }).waitFor({ timeout: 60000 });
  log('workbench up, job.js in the explorer');

  // Open job.js and put a breakpoint on the line that prints each batch.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'job.js' }).click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'setInterval' }).waitFor({ timeout: 20000 });
  const lines = fs.readFileSync(path.join(ws, 'job.js'), 'utf8').split('\n');
  const printLine = lines.findIndex((l) => l.includes('console.log(line)')) + 1;
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(printLine));
  await page.keyboard.press('Enter');
  await palette('Debug: Toggle Breakpoint');
  await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10000 });
  log('breakpoint at job.js line', printLine);

  // Start the ferry session (launch.json) and stop at the breakpoint.
  await palette('Debug: Start Debugging');
  await page.locator('.debug-toolbar').waitFor({ timeout: 30000 });
  await page
    .getByText(/Paused on breakpoint/i)
    .first()
    .waitFor({ timeout: 30000 });
  log('stopped at the breakpoint');

  // Checkpoint Here: the paused stack is written; the program stays paused at the breakpoint.
  await palette('Ferry: Checkpoint Here');
  await notification('checkpoint written');
  await page
    .getByText(/Paused on breakpoint/i)
    .first()
    .waitFor({ timeout: 10000 });
  await shot('01-checkpoint-here-paused');
  log('Checkpoint Here written, still paused');
  await clearNotifications();

  // Remove the breakpoint, go on, and take a checkpoint at idle.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(printLine));
  await page.keyboard.press('Enter');
  await palette('Debug: Toggle Breakpoint');
  await palette('Debug: Continue');
  await repl('records migrated');
  await palette('Ferry: Checkpoint at Idle');
  await notification('checkpoint written');
  log('checkpoint at idle written');
  const header = page.locator('.pane-header', { hasText: /^Checkpoints/i }).first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  const view = page.locator('.pane', { has: header });
  const item = view.locator('.monaco-list-row', { hasText: 'job.js' }).first();
  await item.waitFor({ timeout: 20000 });
  await shot('02-checkpoint-in-view');
  log('the checkpoint is in the Checkpoints view');

  // The Debug Console's list is virtual: watch its last line change as the program goes on.
  const lastLine = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.repl .monaco-list-row')]
        .map((r) => r.textContent)
        .filter((t) => t.includes('records migrated'))
        .pop(),
    );
  const nextBatch = async () => {
    const before = await lastLine();
    await page.waitForFunction(
      (prev) =>
        [...document.querySelectorAll('.repl .monaco-list-row')]
          .map((r) => r.textContent)
          .filter((t) => t.includes('records migrated'))
          .pop() !== prev,
      before,
      { timeout: 20000 },
    );
  };
  // One more batch after the checkpoint: the job appended to its report, which the checkpoint carries.
  await nextBatch();

  // Stop the original, then resume the checkpoint locally from the view. The report changed since
  // the checkpoint, so Ferry asks before putting the checkpoint's copy back.
  await stopDebugging();
  await clearNotifications();
  await itemAction(item, 'Resume Locally');
  const overwrite = page.locator('.monaco-dialog-box', { hasText: 'changed since this checkpoint' });
  await overwrite.waitFor({ timeout: 20000 });
  await shot('03a-files-changed-since');
  await overwrite.getByRole('button', { name: 'Put Back and Resume' }).click();
  log('asked before putting back the changed report: yes');
  await repl(/\(resumed\)|records migrated/, 30000);
  await nextBatch();
  await shot('03-resumed-locally');
  log('resumed locally: the program goes on in the Debug Console');

  if (host) {
    // The local copy ends; the checkpoint is resumed again, on the host (then the only program
    // running, so what stops at the breakpoint below is the one on the host).
    await stopDebugging();
    await itemAction(item, 'Resume on Remote');
    const hostRow = page.locator('.quick-input-list .monaco-list-row', { hasText: host }).first();
    await hostRow.waitFor({ timeout: 10000 });
    await shot('04-host-picker');
    await hostRow.click();
    await page.locator('.statusbar-item', { hasText: `on ${host}` }).waitFor({ timeout: 60000 });
    await repl('records migrated', 60000);
    await shot('05-resumed-on-remote');
    log(`resumed on ${host}: status bar and Debug Console show the remote run`);
    // Breakpoints keep working after the move: one set in job.js stops the program on the host.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(printLine));
    await page.keyboard.press('Enter');
    await palette('Debug: Toggle Breakpoint');
    await page
      .getByText(/Paused On Breakpoint/i)
      .first()
      .waitFor({ timeout: 60000 })
      .catch(() => {
        throw new Error('the program on the host did not stop at the breakpoint');
      });
    await shot('06-remote-paused-at-breakpoint');
    log(`the program on ${host} stopped at the breakpoint in job.js`);
    await palette('Debug: Toggle Breakpoint');
    await palette('Ferry: Stop Remote Run');
    await page.locator('.statusbar-item', { hasText: `on ${host}` }).waitFor({ state: 'hidden', timeout: 30000 });
    log('remote run stopped');
  } else await stopDebugging(); // the copy resumed locally

  // Checkpoint and Stop: the program ends, its status server's listening socket stays with a
  // holder, which the view shows and its item's context menu releases.
  await palette('Debug: Start Debugging');
  await page.locator('.debug-toolbar').waitFor({ timeout: 30000 });
  await nextBatch();
  await clearNotifications();
  await palette('Ferry: Checkpoint and Stop');
  await notification('the program ended');
  const held = view.locator('.monaco-list-row', { hasText: '1 connection(s) held here' }).first();
  await held.waitFor({ timeout: 20000 });
  await shot('07-connections-held');
  log('Checkpoint and Stop: the view shows its connection held here');
  await held.click({ button: 'right' });
  await page.locator('.monaco-menu .action-label', { hasText: 'Release Held Connections' }).click({ timeout: 10000 });
  await notification('released 1 connection(s)');
  await held.waitFor({ state: 'detached', timeout: 20000 });
  log('Release Held Connections from its context menu: released, the view says so');
} catch (error) {
  ok = false;
  log('FAIL', error.message);
  await shot('failure').catch(() => {});
  // What the screen said: the notifications (an error from the adapter), the status bar, the Debug Console.
  const texts = (selector) =>
    page
      .evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent.trim()).filter(Boolean), selector)
      .catch(() => []);
  for (const [what, selector] of [
    ['notifications', '.notification-toast'],
    ['status bar', '.statusbar-item'],
    ['call stack', '.debug-call-stack .monaco-list-row'],
    ['breakpoints', '.debug-breakpoints .monaco-list-row'],
    ['debug console', '.repl .monaco-list-row'],
  ]) {
    console.log(`--- ${what}:\n${(await texts(selector)).slice(-30).join('\n')}`);
  }
}
await ctx.close();
fs.rmSync(udd, { recursive: true, force: true });
console.log(ok ? 'ui: passed' : 'ui: FAILED');
process.exit(ok ? 0 : 1);
