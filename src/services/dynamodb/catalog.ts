/**
 * The tables of every account and region: their rows, read through a cache of parsed
 * definitions keyed by `(id, version)`, so an item operation costs one indexed row read for its
 * table and no JSON parse.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { ResourceInUseException, ResourceNotFoundException, ValidationException } from './errors.js';
import type { TableDefinition } from './table-schema.js';
import type { TableRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export interface Table {
  id: number;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  status: DDB.TableStatus;
  definition: TableDefinition;
  version: number;
  tags: DDB.Tag[];
  createdAt: number;
}

export function tableArn(place: Place, name: string): string {
  return `arn:aws:dynamodb:${place.region}:${place.accountId}:table/${name}`;
}

const ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

/** A table named by name or ARN (DynamoDB accepts both in `TableName`). */
export function tableReference(place: Place, nameOrArn: string): { place: Place; name: string } {
  const arn = ARN.exec(nameOrArn);
  if (arn) return { place: { region: arn[1]!, accountId: arn[2]! }, name: arn[3]! };
  if (nameOrArn.startsWith('arn:')) throw new ValidationException(`Invalid TableName: ${nameOrArn}`);
  checkName(nameOrArn);
  return { place, name: nameOrArn };
}

/** DynamoDB's rules for table names (the model lets ARNs of any length through). */
export function checkName(name: string): void {
  if (name.length < 3 || name.length > 255) {
    throw new ValidationException(
      'TableName must be at least 3 characters long and at most 255 characters long',
    );
  }
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    throw new ValidationException(
      "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'",
    );
  }
}

const COLUMNS = 'id, account_id, region, name, status, definition, version, tags, created_at';

export class TableCatalog {
  private readonly parsed = new Map<number, Table>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private fromRow(row: TableRow): Table {
    const cached = this.parsed.get(row.id);
    if (cached && cached.version === row.version && cached.status === row.status) return cached;
    const table: Table = {
      id: row.id,
      accountId: row.account_id,
      region: row.region,
      name: row.name,
      arn: tableArn({ accountId: row.account_id, region: row.region }, row.name),
      status: row.status as DDB.TableStatus,
      definition: JSON.parse(row.definition) as TableDefinition,
      version: row.version,
      tags: JSON.parse(row.tags) as DDB.Tag[],
      createdAt: row.created_at,
    };
    this.parsed.set(row.id, table);
    return table;
  }

  async find(at: Place, nameOrArn: string, db: Queryable = this.store): Promise<Table | undefined> {
    const { place, name } = tableReference(at, nameOrArn);
    const row = await db.get<TableRow>(
      `SELECT ${COLUMNS} FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ?`,
      [place.accountId, place.region, name],
    );
    return row && this.fromRow(row);
  }

  /** The table, or `ResourceNotFoundException` with `message` (item operations word it differently). */
  async require(
    at: Place,
    nameOrArn: string,
    db: Queryable = this.store,
    message = 'Requested resource not found',
  ): Promise<Table> {
    const table = await this.find(at, nameOrArn, db);
    if (!table) throw new ResourceNotFoundException(message);
    return table;
  }

  /** Locks the table's row (PostgreSQL) for a change of its definition. */
  async lock(tx: Queryable, at: Place, nameOrArn: string): Promise<Table> {
    const { place, name } = tableReference(at, nameOrArn);
    const row = await tx.get<TableRow>(
      `SELECT ${COLUMNS} FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ? ${this.store.dialect.forUpdate}`,
      [place.accountId, place.region, name],
    );
    if (!row) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
    return this.fromRow(row);
  }

  async insert(
    tx: Queryable,
    at: Place,
    name: string,
    definition: TableDefinition,
    tags: DDB.Tag[],
  ): Promise<Table> {
    checkName(name);
    const now = this.clock.now();
    const exists = await tx.get(
      'SELECT id FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ?',
      [at.accountId, at.region, name],
    );
    if (exists) throw new ResourceInUseException(`Table already exists: ${name}`);
    const row = await tx.get<TableRow>(
      `INSERT INTO dynamodb_tables (account_id, region, name, status, definition, version, tags, created_at)
       VALUES (?, ?, ?, 'ACTIVE', ?, 1, ?, ?) RETURNING ${COLUMNS}`,
      [at.accountId, at.region, name, JSON.stringify(definition), JSON.stringify(tags), now],
    );
    return this.fromRow(row!);
  }

  /** Writes a new definition (and tags), bumping the version every node's cache keys on. */
  async save(tx: Queryable, table: Table, definition: TableDefinition, tags = table.tags): Promise<Table> {
    const row = await tx.get<TableRow>(
      `UPDATE dynamodb_tables SET definition = ?, tags = ?, version = version + 1 WHERE id = ? RETURNING ${COLUMNS}`,
      [JSON.stringify(definition), JSON.stringify(tags), table.id],
    );
    if (!row) throw new ResourceNotFoundException('Requested resource not found');
    return this.fromRow(row);
  }

  async remove(tx: Queryable, table: Table): Promise<void> {
    await tx.run('DELETE FROM dynamodb_tables WHERE id = ?', [table.id]);
    this.parsed.delete(table.id);
  }

  /** Table names after `exclusiveStart`, in order, one more than `limit` to tell whether more follow. */
  async names(at: Place, exclusiveStart: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.store.all<{ name: string }>(
      `SELECT name FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?`,
      [at.accountId, at.region, exclusiveStart ?? '', limit + 1],
    );
    return rows.map((row) => row.name);
  }

  async byId(db: Queryable, id: number): Promise<Table | undefined> {
    const row = await db.get<TableRow>(`SELECT ${COLUMNS} FROM dynamodb_tables WHERE id = ?`, [id]);
    return row && this.fromRow(row);
  }

  async byArn(arn: string): Promise<Table | undefined> {
    const match = ARN.exec(arn);
    if (!match) return undefined;
    return this.find({ region: match[1]!, accountId: match[2]! }, match[3]!);
  }

  forgetAll(): void {
    this.parsed.clear();
  }
}
