// SVG → PNG with headless Chromium (Debian package `chromium`): no plotting dependency.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'];

/** Writes `png` from `svg` (saved next to it); returns why it could not, if it could not. */
export function renderPng(
  svg: string,
  svgPath: string,
  png: string,
  size: { width: number; height: number },
): string | undefined {
  writeFileSync(svgPath, svg);
  const html = svgPath.replace(/\.svg$/, '.html');
  writeFileSync(html, `<!doctype html><html><body style="margin:0">${svg}</body></html>`);
  for (const browser of CHROMIUM) {
    try {
      execFileSync(
        browser,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--hide-scrollbars',
          `--window-size=${size.width},${size.height}`,
          `--screenshot=${png}`,
          pathToFileURL(html).href,
        ],
        { stdio: 'ignore', timeout: 60_000 },
      );
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        return `${browser} failed: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  return 'no headless Chromium found (apt-get install chromium): the plot is only in SVG';
}
