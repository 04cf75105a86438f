import { describe, expect, it } from 'vitest';
import { identitiesCovering, parseMailbox } from './addresses.js';

describe('parseMailbox', () => {
  it.each([
    ['a@example.com', { address: 'a@example.com', local: 'a', domain: 'example.com' }],
    ['  a@example.com ', { address: 'a@example.com', local: 'a', domain: 'example.com' }],
    [
      'Ann <ann@example.com>',
      { name: 'Ann', address: 'ann@example.com', local: 'ann', domain: 'example.com' },
    ],
    [
      '"Doe, Jane" <j@example.com>',
      { name: 'Doe, Jane', address: 'j@example.com', local: 'j', domain: 'example.com' },
    ],
    ['<bare@example.com>', { address: 'bare@example.com', local: 'bare', domain: 'example.com' }],
    [
      '"john doe"@example.com',
      { address: '"john doe"@example.com', local: '"john doe"', domain: 'example.com' },
    ],
    ['a@[192.0.2.1]', { address: 'a@[192.0.2.1]', local: 'a', domain: '[192.0.2.1]' }],
    [
      '=?UTF-8?B?U8OpbmRlcg==?= <s@example.com>',
      { name: '=?UTF-8?B?U8OpbmRlcg==?=', address: 's@example.com', local: 's', domain: 'example.com' },
    ],
  ])('reads %j', (text, mailbox) => {
    expect(parseMailbox(text)).toEqual({ ok: true, mailbox });
  });

  it.each([
    ['example.com', "Missing final '@domain'"],
    ['Ann <ann>', "Missing final '@domain'"],
    ['@example.com', 'Missing local name'],
    ['a@', 'Missing domain'],
    ['a b@example.com', 'Local address contains control or whitespace'],
    ['a,b@example.com', 'Local address contains illegal character'],
    ['.a@example.com', 'Local address starts with dot'],
    ['a.@example.com', 'Local address ends with dot'],
    ['a..b@example.com', 'Local address contains dot-dot'],
    ['a@exa\tmple.com', 'Domain contains control or whitespace'],
    ['a@exa;mple.com', 'Domain contains illegal character'],
    ['a@.example.com', 'Domain starts with dot'],
    ['a@example.com.', 'Domain ends with dot'],
    ['a@example..com', 'Domain contains dot-dot'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseMailbox(text)).toEqual({ ok: false, reason });
  });
});

describe('identitiesCovering', () => {
  it.each([
    [
      { local: 'Ann', domain: 'Mail.Example.COM' },
      ['Ann@mail.example.com', 'mail.example.com', 'example.com'],
    ],
    [{ local: 'a', domain: 'example.com' }, ['a@example.com', 'example.com']],
    [{ local: 'root', domain: 'localhost' }, ['root@localhost', 'localhost']],
  ])('%j is covered by %j', (mailbox, identities) => {
    expect(identitiesCovering(mailbox)).toEqual(identities);
  });
});
