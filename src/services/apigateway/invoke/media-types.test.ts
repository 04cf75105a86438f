import { describe, expect, it } from 'vitest';
import { firstAcceptedType, isBinaryMediaType, isHttpApiTextType, mediaType } from './media-types.js';

describe('media types', () => {
  it.each([
    ['application/json; charset=utf-8', 'application/json'],
    [' Image/PNG ', 'image/png'],
    [undefined, ''],
  ])('reads the media type of %j as %j', (value, type) => {
    expect(mediaType(value)).toBe(type);
  });

  it.each([
    ['image/png', ['image/png'], true],
    ['image/png', ['image/*'], true],
    ['image/png', ['*/*'], true],
    ['image/png', ['IMAGE/PNG'], true],
    ['image/png', ['image/jpeg', 'application/octet-stream'], false],
    ['image/png', ['application/*'], false],
    ['*/*', ['image/*'], false],
    ['', ['*/*'], true],
    ['', ['image/*'], false],
  ])('finds %j among binaryMediaTypes %j: %s', (type, types, binary) => {
    expect(isBinaryMediaType(type, types)).toBe(binary);
  });

  it.each([
    ['image/webp,image/*,*/*;q=0.8', 'image/webp'],
    ['application/octet-stream', 'application/octet-stream'],
    ['Image/PNG;q=0.9, text/html', 'image/png'],
    ['', '*/*'],
    [undefined, '*/*'],
  ])('reads only the first type of Accept %j: %j', (accept, type) => {
    expect(firstAcceptedType(accept)).toBe(type);
  });

  it.each([
    ['text/plain', true],
    ['text/html; charset=utf-8', true],
    ['application/json', true],
    ['Application/JSON', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', false],
    ['application/vnd.api+json', false],
    ['image/png', false],
    [undefined, false],
  ])('takes an HTTP API body of type %j as text: %s', (type, text) => {
    expect(isHttpApiTextType(type)).toBe(text);
  });
});
