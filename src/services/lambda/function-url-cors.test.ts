import { describe, expect, it } from 'vitest';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './function-url-cors.js';

const cors = {
  AllowOrigins: ['https://app.example'],
  AllowMethods: ['GET', 'POST'],
  AllowHeaders: ['x-custom', 'content-type'],
  ExposeHeaders: ['x-total'],
  MaxAge: 600,
};
const preflight = (origin: string, method = 'POST') => ({ origin, 'access-control-request-method': method });

describe('function URL CORS', () => {
  it.each([
    [
      'an OPTIONS with Origin and Access-Control-Request-Method',
      cors,
      'OPTIONS',
      preflight('https://a'),
      true,
    ],
    ['any OPTIONS when the URL has no CORS settings', undefined, 'OPTIONS', preflight('https://a'), false],
    ['an OPTIONS without Access-Control-Request-Method', cors, 'OPTIONS', { origin: 'https://a' }, false],
    ['a GET', cors, 'GET', preflight('https://a'), false],
  ])('takes %s as a preflight: %s', (_case, settings, method, headers, expected) => {
    expect(isPreflight(settings, method, headers)).toBe(expected);
  });

  it('answers a preflight from an allowed origin with every setting', () => {
    expect(preflightHeaders(cors, preflight('https://app.example'))).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'GET,POST',
      'Access-Control-Allow-Headers': 'x-custom,content-type',
      'Access-Control-Expose-Headers': 'x-total',
      'Access-Control-Max-Age': '600',
    });
  });

  it.each([
    ['an origin not listed', preflight('https://other.example')],
    ['a method not listed', preflight('https://app.example', 'DELETE')],
  ])('gives a preflight for %s no CORS headers', (_case, headers) => {
    expect(preflightHeaders(cors, headers)).toEqual({});
  });

  it('allows any origin with *, naming the origin itself when credentials are allowed', () => {
    const any = { AllowOrigins: ['*'], AllowMethods: ['*'] };
    expect(preflightHeaders(any, preflight('https://x.example', 'PATCH'))).toMatchObject({
      'Access-Control-Allow-Origin': '*',
    });
    expect(responseCorsHeaders({ ...any, AllowCredentials: true }, { origin: 'https://x.example' })).toEqual({
      'Access-Control-Allow-Origin': 'https://x.example',
      'Access-Control-Allow-Credentials': 'true',
    });
  });

  it.each([
    [
      'an allowed origin',
      cors,
      { origin: 'https://APP.example' },
      { 'Access-Control-Allow-Origin': 'https://APP.example', 'Access-Control-Expose-Headers': 'x-total' },
    ],
    ['an origin not allowed', cors, { origin: 'https://other.example' }, {}],
    ['a request without Origin', cors, {}, {}],
    ['a URL without CORS settings', undefined, { origin: 'https://app.example' }, {}],
  ])('adds to the response to %s', (_case, settings, headers, expected) => {
    expect(responseCorsHeaders(settings, headers)).toEqual(expected);
  });
});
