import { describe, it, expect } from 'vitest';
import pg from 'pg';
import { PostgresStore, toPostgresSql } from './postgres.js';
import { testPostgresUrl } from './testing/engines.js';

describe('toPostgresSql', () => {
  it('numbers ? placeholders in order', () => {
    expect(toPostgresSql('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
    );
  });

  it('leaves ? inside quoted strings and identifiers alone', () => {
    expect(toPostgresSql(`SELECT 'a?b', 'it''s?', "odd?col" FROM t WHERE x = ?`)).toBe(
      `SELECT 'a?b', 'it''s?', "odd?col" FROM t WHERE x = $1`,
    );
  });
});

describe('PostgresStore', () => {
  const withSchema = (schema: string) => {
    const url = new URL(testPostgresUrl);
    url.searchParams.set('schema', schema);
    return url.toString();
  };

  it('rejects schema names that are not plain lowercase identifiers', async () => {
    await expect(PostgresStore.open({ url: withSchema('x"; DROP TABLE y') })).rejects.toThrow(
      /Invalid schema/,
    );
    await expect(PostgresStore.open({ url: withSchema('Upper') })).rejects.toThrow(/Invalid schema/);
  });

  it('creates its schema, keeps tables in it, and drops it on request', async () => {
    const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
    const store = await PostgresStore.open({ url: withSchema(schema) });
    await store.run('CREATE TABLE inside_schema (id INTEGER)');
    expect(await store.get('SELECT current_schema() AS name')).toEqual({ name: schema });
    await store.close({ dropSchema: true });

    const admin = await PostgresStore.open({ url: testPostgresUrl });
    try {
      expect(await admin.get('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema])).toBeUndefined();
    } finally {
      await admin.close();
    }
  });

  it('leaves the global pg type parsers untouched', () => {
    expect(pg.types.getTypeParser(20, 'text')('12')).toBe('12');
  });
});
