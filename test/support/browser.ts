/**
 * A real browser for end-to-end tests of what browsers do with Stratus's answers (CORS above
 * all): Debian's headless Chromium driven by playwright-core, which downloads nothing, and tiny
 * static sites on loopback ports whose pages make the calls, each port being an origin of its own.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or undefined when they can. A developer without Chromium
 * gets a skip; CI (which installs it) never skips, so a missing browser fails there.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath) || process.env.CI) return undefined;
  return `${chromiumPath} is missing (sudo apt-get install chromium)`;
}

export function launchChromium(): Promise<Browser> {
  // Chromium's own sandbox does not start as root (as CI runs) nor in most containers; the pages
  // it loads here are the tests' own.
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}

export interface StaticSite {
  /** `http://127.0.0.1:{port}`: the origin of the site's pages. */
  origin: string;
  close(): Promise<void>;
}

/** Serves one empty HTML page at every path, for a browser to run fetches from its origin. */
export async function startStaticSite(): Promise<StaticSite> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>static site</title>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A page of `site`, loaded, for scripts run in it to call out from the site's origin. */
export async function openSitePage(browser: Browser, site: StaticSite): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${site.origin}/`);
  return page;
}

/**
 * The error Chromium logs in `page`'s console when it next refuses a cross-origin answer ("Access
 * to fetch at … has been blocked by CORS policy: …"), saying why; undefined if none comes within
 * `timeoutMs`. Start waiting before the call: the message may come before the fetch rejects.
 */
export function nextCorsRefusal(page: Page, timeoutMs = 5_000): Promise<string | undefined> {
  return page
    .waitForEvent('console', {
      predicate: (message) => message.type() === 'error' && message.text().includes('blocked by CORS policy'),
      timeout: timeoutMs,
    })
    .then(
      (message) => message.text(),
      // A test that fails before reading this must not leave a rejection behind.
      () => undefined,
    );
}

/** What a page's `fetch` came to: the answer it could read, or the error it rejected with. */
export type PageFetchOutcome =
  | { answered: true; status: number; text: string }
  | { answered: false; errorName: string; errorMessage: string };

export interface PageFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Runs `fetch(url, init)` inside the page, as the page's own script would. */
export function fetchFromPage(page: Page, url: string, init: PageFetchInit = {}): Promise<PageFetchOutcome> {
  return page.evaluate(
    async ([target, options]): Promise<PageFetchOutcome> => {
      try {
        const response = await fetch(target, options);
        return {
          answered: true,
          status: response.status,
          text: await response.text(),
        };
      } catch (err) {
        const error = err as Error;
        return { answered: false, errorName: error.name, errorMessage: error.message };
      }
    },
    [url, init] as const,
  );
}
