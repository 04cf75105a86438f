/**
 * The key SNS signs messages with and the certificate it publishes at SigningCertURL. Node's crypto
 * cannot build an X.509 certificate, so `openssl` makes a self-signed one the first time it is
 * needed; the PEMs are kept in the store (first writer wins), so every node sharing the store signs
 * with the same key and serves the same certificate.
 */
import { execFile } from 'node:child_process';
import { createHash, createSign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Store } from '../../storage/store.js';
import { signingQueries } from './tables.js';

const run = promisify(execFile);
const keyId = 'default';

export interface SigningKey {
  privateKey: string;
  certificate: string;
  /** Names the certificate in its URL: `SimpleNotificationService-<certId>.pem`. */
  certId: string;
}

export class MessageSigner {
  private key: Promise<SigningKey> | undefined;

  constructor(private readonly store: Store) {}

  load(): Promise<SigningKey> {
    this.key ??= this.loadOrCreate().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /** The stored key may have changed (a reset, a snapshot load): read it again when next needed. */
  forget(): void {
    this.key = undefined;
  }

  /** Signature version 1 signs with SHA1withRSA, version 2 with SHA256withRSA; base64. */
  async signer(signatureVersion: string): Promise<(text: string) => string> {
    const { privateKey } = await this.load();
    const algorithm = signatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
    return (text) => createSign(algorithm).update(text, 'utf8').sign(privateKey, 'base64');
  }

  private async loadOrCreate(): Promise<SigningKey> {
    let row = await signingQueries.get(this.store, keyId);
    if (!row) {
      const made = await generateKeyAndCertificate();
      await signingQueries.insertIfAbsent(this.store, keyId, made.privateKey, made.certificate);
      row = (await signingQueries.get(this.store, keyId))!;
    }
    return {
      privateKey: row.private_key,
      certificate: row.certificate,
      certId: createHash('sha256').update(row.certificate).digest('hex').slice(0, 32),
    };
  }
}

async function generateKeyAndCertificate(): Promise<{ privateKey: string; certificate: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stratus-sns-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-subj',
      '/CN=sns.amazonaws.com',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    return { privateKey: await readFile(keyPath, 'utf8'), certificate: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
