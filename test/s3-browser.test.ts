/**
 * A CORS-protected bucket as a real browser meets it: headless Chromium opens pages of two
 * static sites (two origins); the bucket's rules admit one. Its page reads an object and PUTs one
 * (a preflighted request, with a metadata header); the other origin's page is refused by the
 * browser, as is every page calling a bucket without rules.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  fetchFromPage,
  launchChromium,
  openSitePage,
  startStaticSite,
  type StaticSite,
} from './support/browser.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`skipping the S3 browser tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(
  'a CORS-protected bucket in a real browser (headless Chromium)',
  () => {
    let stratus: TestStratus;
    let s3: S3Client;
    let browser: Browser;
    let site: StaticSite;
    let otherSite: StaticSite;
    let sitePage: Page;
    let otherSitePage: Page;

    beforeAll(async () => {
      await Promise.all([
        startTestStratus().then((started) => (stratus = started)),
        launchChromium().then((launched) => (browser = launched)),
        startStaticSite().then((started) => (site = started)),
        startStaticSite().then((started) => (otherSite = started)),
      ]);
      s3 = new S3Client({ ...stratus.clientConfig, forcePathStyle: true });
      for (const Bucket of ['web', 'closed']) {
        await s3.send(new CreateBucketCommand({ Bucket }));
        await s3.send(new PutObjectCommand({ Bucket, Key: 'hello.txt', Body: `hello from ${Bucket}` }));
      }
      await s3.send(
        new PutBucketCorsCommand({
          Bucket: 'web',
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedOrigins: [site.origin],
                AllowedMethods: ['GET', 'PUT'],
                AllowedHeaders: ['*'],
                ExposeHeaders: ['ETag'],
              },
            ],
          },
        }),
      );
      [sitePage, otherSitePage] = await Promise.all([
        openSitePage(browser, site),
        openSitePage(browser, otherSite),
      ]);
    });
    afterAll(async () => {
      s3?.destroy();
      await Promise.all([browser?.close(), site?.close(), otherSite?.close(), stratus?.close()]);
    });

    it('lets the admitted origin read an object', async () => {
      expect(await fetchFromPage(sitePage, `${stratus.url}/web/hello.txt`)).toEqual({
        answered: true,
        status: 200,
        text: 'hello from web',
      });
    });

    it('lets the admitted origin PUT an object after a preflight', async () => {
      const outcome = await fetchFromPage(sitePage, `${stratus.url}/web/from-page.txt`, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain', 'x-amz-meta-from': 'page' },
        body: 'written by a page',
      });
      expect(outcome).toMatchObject({ answered: true, status: 200 });
      const object = await s3.send(new GetObjectCommand({ Bucket: 'web', Key: 'from-page.txt' }));
      expect([await object.Body!.transformToString(), object.Metadata]).toEqual([
        'written by a page',
        { from: 'page' },
      ]);
    });

    it('leaves another origin unable to read, and every origin a bucket without rules', async () => {
      const other = await fetchFromPage(otherSitePage, `${stratus.url}/web/hello.txt`);
      expect(other).toMatchObject({ answered: false, errorName: 'TypeError' });
      const closed = await fetchFromPage(sitePage, `${stratus.url}/closed/hello.txt`);
      expect(closed).toMatchObject({ answered: false, errorName: 'TypeError' });
      const refusedPut = await fetchFromPage(otherSitePage, `${stratus.url}/web/nope.txt`, {
        method: 'PUT',
        body: 'x',
      });
      expect(refusedPut).toMatchObject({ answered: false });
    });

    it('answers preflights as S3 does: the rule’s headers, or 403 AccessForbidden', async () => {
      const preflight = (origin: string, bucket: string) =>
        fetch(`${stratus.url}/${bucket}/x`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'PUT',
            'access-control-request-headers': 'x-amz-meta-a',
          },
        });
      const admitted = await preflight(site.origin, 'web');
      expect(admitted.status).toBe(200);
      expect(admitted.headers.get('access-control-allow-origin')).toBe(site.origin);
      expect(admitted.headers.get('access-control-allow-methods')).toBe('GET, PUT');
      expect(admitted.headers.get('access-control-allow-headers')).toBe('x-amz-meta-a');
      const refused = await preflight(otherSite.origin, 'web');
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>AccessForbidden</Code>');
      const closed = await preflight(site.origin, 'closed');
      expect(await closed.text()).toContain('CORSResponse: CORS is not enabled for this bucket.');
    });
  },
);
