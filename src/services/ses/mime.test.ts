import { describe, expect, it } from 'vitest';
import { decodeWords, parseHeaders, summarizeMime } from './mime.js';

describe('decodeWords', () => {
  it.each([
    ['plain text', 'plain text'],
    ['=?UTF-8?B?Q2Fmw6k=?=', 'Café'],
    ['=?utf-8?q?Caf=C3=A9_au_lait?=', 'Café au lait'],
    ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
    ['=?UTF-8?B?SGVsbG8s?= =?UTF-8?B?IHdvcmxk?=', 'Hello, world'],
    ['a =?UTF-8?Q?b?= c', 'a b c'],
    ['=?x-unknown?Q?abc?=', 'abc'],
  ])('%j → %j', (encoded, decoded) => {
    expect(decodeWords(encoded)).toBe(decoded);
  });
});

describe('parseHeaders', () => {
  it('unfolds continuation lines and keeps repeated fields in order', () => {
    const headers = parseHeaders(
      'Subject: a long\r\n  subject\r\nReceived: one\r\nReceived: two\r\nX-Empty:',
    );
    expect(headers.get('subject')).toEqual(['a long  subject']);
    expect(headers.get('received')).toEqual(['one', 'two']);
    expect(headers.get('x-empty')).toEqual(['']);
  });
});

describe('summarizeMime', () => {
  it('reads a single-part message with LF line endings', () => {
    const summary = summarizeMime(Buffer.from('From: a@x.test\nTo: b@y.test\nSubject: hi\n\nthe body\n'));
    expect(summary).toEqual({
      from: ['a@x.test'],
      to: ['b@y.test'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'hi',
      text: 'the body\n',
      html: undefined,
    });
  });

  it('finds the text and HTML parts inside nested multiparts and skips attachments', () => {
    const raw = [
      'From: "Doe, Jane" <jane@x.test>',
      'To: group: one@y.test, two@y.test;',
      'Bcc: hidden@y.test',
      'Reply-To: =?UTF-8?Q?R=C3=A9ponse?= <reply@x.test>',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Grüße').toString('base64'),
      '--inner',
      'Content-Type: text/html; charset="iso-8859-1"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Gr=FC=DFe, a long line=',
      ' continued</p>',
      '--inner--',
      '--outer',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'not the body',
      '--outer--',
      '',
    ].join('\r\n');
    expect(summarizeMime(Buffer.from(raw))).toEqual({
      from: ['Doe, Jane <jane@x.test>'],
      to: ['one@y.test', 'two@y.test'],
      cc: [],
      bcc: ['hidden@y.test'],
      replyTo: ['Réponse <reply@x.test>'],
      subject: undefined,
      text: 'Grüße',
      html: '<p>Grüße, a long line continued</p>',
    });
  });

  it('keeps 8-bit UTF-8 headers', () => {
    const summary = summarizeMime(Buffer.from('From: Zoë <z@x.test>\r\nSubject: naïve\r\n\r\nok'));
    expect(summary.from).toEqual(['Zoë <z@x.test>']);
    expect(summary.subject).toBe('naïve');
  });
});
