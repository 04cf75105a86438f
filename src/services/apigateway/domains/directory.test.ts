import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../storage/sqlite.js';
import { apigatewayMigrations } from '../tables.js';
import { DomainDirectory, hostName } from './directory.js';
import { domainMigrations, domainNameQueries } from './tables.js';

const place = { account_id: '000000000000', region: 'us-east-1', document: '{}' };

describe('the custom domain directory', () => {
  let store: SqliteStore;
  let directory: DomainDirectory;

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate([...apigatewayMigrations, ...domainMigrations]);
    directory = new DomainDirectory(store, pino({ level: 'silent' }));
  });
  afterEach(async () => {
    await directory.stop();
    await store.close();
  });

  it.each([
    ['API.Example.com:4566', 'api.example.com'],
    ['api.example.com.', 'api.example.com'],
    ['api.example.com', 'api.example.com'],
    ['[::1]:4566', '[::1]:4566'],
  ])('reads the host name of %s as %s', (host, name) => {
    expect(hostName(host)).toBe(name);
  });

  it('names a domain by its name or alias, whatever the port and case', () => {
    directory.added('api.example.com', 'd-abc.execute-api.localhost');
    expect(directory.domainOf('API.example.com:4566')).toBe('api.example.com');
    expect(directory.domainOf('d-abc.execute-api.localhost:4566')).toBe('api.example.com');
    expect(directory.domainOf('other.example.com')).toBeUndefined();
    expect(directory.domainOf(undefined)).toBeUndefined();
    directory.removed('api.example.com', 'd-abc.execute-api.localhost');
    expect(directory.domainOf('api.example.com')).toBeUndefined();
  });

  it('prefers the exact name, then the closest wildcard name', () => {
    directory.added('*.example.com', 'd-1.execute-api.localhost');
    directory.added('*.b.example.com', 'd-2.execute-api.localhost');
    directory.added('c.b.example.com', 'd-3.execute-api.localhost');
    expect(directory.domainOf('c.b.example.com')).toBe('c.b.example.com');
    expect(directory.domainOf('x.b.example.com')).toBe('*.b.example.com');
    expect(directory.domainOf('x.y.example.com')).toBe('*.example.com');
    expect(directory.domainOf('example.com')).toBeUndefined();
  });

  it('learns the domains other nodes made, and forgets the ones they deleted, from the store', async () => {
    directory.added('gone.example.com', 'd-gone.execute-api.localhost');
    await domainNameQueries.insert(store, {
      ...place,
      domain_name: 'api.example.com',
      alias: 'd-x.execute-api.localhost',
    });
    await directory.refreshNow();
    expect(directory.domainOf('api.example.com')).toBe('api.example.com');
    expect(directory.domainOf('d-x.execute-api.localhost')).toBe('api.example.com');
    expect(directory.domainOf('gone.example.com')).toBeUndefined();
  });

  it("keeps this node's own change made while a refresh was reading", async () => {
    const refreshing = directory.refreshNow();
    directory.added('new.example.com', 'd-new.execute-api.localhost');
    await refreshing;
    expect(directory.domainOf('new.example.com')).toBe('new.example.com');
  });
});
