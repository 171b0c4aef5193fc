// Opens tandem's HTML report in headless Chromium and checks it as an editor would use it:
// the legend, every row drawn, links relative and reaching the files, the filters, sorting,
// the detail panel; with --timing, how long the page takes to open and to filter.
// Run through scripts/report-check.sh, which builds the reports and installs playwright-core.
import { chromium } from 'playwright-core';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [report, shots, timing] = process.argv.slice(2);
const fail = (m) => { console.error(`error: ${m}`); process.exit(1); };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const url = 'file://' + report;
const opened = Date.now();
await page.goto(url, { waitUntil: 'load', timeout: 120000 });
const wall = Date.now() - opened;
const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
if (errors.length) fail(`the page threw: ${errors.join('; ')}`);
const shown = async () => (await page.textContent('#shown')).trim();
const total = await page.evaluate(() => JSON.parse(document.getElementById('data').textContent).rows.length);

if (timing) {
  const size = statSync(report).size;
  const t0 = Date.now();
  await page.fill('#q', 'news');
  await page.waitForFunction(() => !/^\d+ of \d+ articles$/.test('') && document.getElementById('shown').textContent.length > 0);
  const filter = Date.now() - t0;
  const t1 = Date.now();
  await page.selectOption('#state', 'work');
  const work = Date.now() - t1;
  await page.fill('#q', '');
  await page.selectOption('#state', '');
  await page.$eval('#matrix', (m) => { m.scrollTop = m.scrollHeight; });
  await page.waitForTimeout(100);
  const drawn = await page.$$eval('#body .row', (r) => r.length);
  if (drawn === 0 || drawn > 400) fail(`${drawn} rows drawn after scrolling to the end`);
  console.log(JSON.stringify({ articles: total, bytes: size, load_ms: Math.round(nav.loadEventEnd),
    dom_ms: Math.round(nav.domContentLoadedEventEnd), wall_ms: wall, filter_ms: filter, needs_work_ms: work, rows_in_dom: drawn }));
  await browser.close();
  process.exit(0);
}

// The legend names every state; required languages are marked.
const legend = await page.$$eval('.legend li[data-state]', (l) => l.map((x) => x.dataset.state));
if (legend.length !== 7) fail(`legend: ${legend}`);
if (!(await page.$('.lang .req'))) fail('no required language marked');
// Every article drawn (the example is small), grouped by section.
const rows = await page.$$eval('#body .row:not(.group)', (r) => r.length);
if (rows !== total) fail(`${rows} rows drawn of ${total}`);
if (!(await page.$('#body .group'))) fail('no section groups');
// Links: relative, and reaching files that exist (missing translations link nowhere here).
const hrefs = await page.$$eval('#body a[href]', (a) => a.map((x) => [x.getAttribute('href'), x.href, x.className]));
if (hrefs.length === 0) fail('no links');
for (const [raw, abs, cls] of hrefs) {
  if (/^[a-z]+:|^\//.test(raw)) fail(`link not relative: ${raw}`);
  if (!cls.includes('s-missing') && !existsSync(fileURLToPath(abs))) fail(`link to nothing: ${raw}`);
}
await page.screenshot({ path: `${shots}/report.png`, fullPage: true });
// Filtering by text, state, section and language.
await page.fill('#q', 'strike');
if (!(await shown()).startsWith('1 of')) fail(`filter by text: ${await shown()}`);
await page.fill('#q', '');
await page.selectOption('#state', 'outdated');
const outdated = await page.$$eval('#body .row:not(.group)', (r) => r.filter((x) => x.querySelector('.s-outdated')).length);
const all = await page.$$eval('#body .row:not(.group)', (r) => r.length);
if (outdated !== all || all === 0) fail(`state filter: ${outdated} of ${all} rows outdated`);
await page.selectOption('#state', '');
await page.selectOption('#lang', 'es');
const columns = await page.$$eval('#head > div', (d) => d.length);
if (columns !== 2) fail(`language filter: ${columns} columns`);
await page.selectOption('#lang', '');
await page.selectOption('#sec', 'news');
if (!(await shown()).startsWith('2 of')) fail(`section filter: ${await shown()}`);
await page.selectOption('#sec', '');
// Sorting by a language: most work first.
await page.uncheck('#group');
await page.click('#head > div[data-k="1"]');
const first = await page.$eval('#body .row .c.s-missing, #body .row .c.s-outdated, #body .row .c.s-draft', (c) => c.closest('.row').querySelector('.art').textContent);
const sorted = await page.$eval('#body .row', (r) => r.querySelector('.art').textContent);
if (first !== sorted) fail(`sort: first row ${sorted}, first with work ${first}`);
// The detail panel, with the command to start a missing translation.
await page.check('#group');
await page.click('#body a.c.s-missing');
const detail = await page.textContent('#detail');
if (!detail.includes('tandem new')) fail(`detail: ${detail}`);
await page.screenshot({ path: `${shots}/report-detail.png` });
if (errors.length) fail(`the page threw: ${errors.join('; ')}`);
console.log(`ok: ${total} articles; legend, links, filters, sorting and details work (load ${Math.round(nav.loadEventEnd)} ms)`);
await browser.close();
