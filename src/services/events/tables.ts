/**
 * EventBridge's schema, and its bus, rule and target queries (archives and replays:
 * archive-tables.ts; connections and API destinations: connection-tables.ts). Deliveries
 * themselves are work items (delivery.ts). Every change to a bus's rules, targets or archives
 * bumps the bus's `version`, which is how PutEvents on any node knows its cached routing is stale.
 */
import type { Migration, Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

/** Every table of the service, parents before children. */
export const eventsTables: readonly string[] = [
  'events_buses',
  'events_rules',
  'events_targets',
  'events_archives',
  'events_archived_events',
  'events_replays',
  'events_connections',
  'events_api_destinations',
];

export const eventsMigrations: readonly Migration[] = [
  {
    id: 'events-001-buses-rules-archives-connections',
    up: (d) => `
      CREATE TABLE events_buses (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        kms_key_identifier TEXT,
        dead_letter_config TEXT,
        log_config TEXT,
        policy TEXT,
        tags TEXT NOT NULL,
        version BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX events_buses_by_name ON events_buses (account_id, region, name);
      CREATE TABLE events_rules (
        arn TEXT PRIMARY KEY,
        bus_arn TEXT NOT NULL REFERENCES events_buses (arn) ON DELETE CASCADE,
        name TEXT NOT NULL,
        event_pattern TEXT,
        schedule_expression TEXT,
        state TEXT NOT NULL,
        description TEXT,
        role_arn TEXT,
        tags TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX events_rules_by_bus ON events_rules (bus_arn, name);
      CREATE TABLE events_targets (
        rule_arn TEXT NOT NULL REFERENCES events_rules (arn) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        arn TEXT NOT NULL,
        definition TEXT NOT NULL,
        PRIMARY KEY (rule_arn, target_id)
      );
      CREATE INDEX events_targets_by_arn ON events_targets (arn);
      CREATE TABLE events_archives (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        bus_arn TEXT NOT NULL REFERENCES events_buses (arn) ON DELETE CASCADE,
        description TEXT,
        event_pattern TEXT,
        retention_days INTEGER NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX events_archives_by_name ON events_archives (account_id, region, name);
      CREATE TABLE events_archived_events (
        id ${d.autoIncrementPrimaryKey},
        archive_arn TEXT NOT NULL REFERENCES events_archives (arn) ON DELETE CASCADE,
        ingested_at BIGINT NOT NULL,
        event TEXT NOT NULL,
        size INTEGER NOT NULL
      );
      CREATE INDEX events_archived_by_time ON events_archived_events (archive_arn, ingested_at, id);
      CREATE TABLE events_replays (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        archive_arn TEXT NOT NULL,
        destination TEXT NOT NULL,
        event_start BIGINT NOT NULL,
        event_end BIGINT NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        replay_start BIGINT NOT NULL,
        replay_end BIGINT,
        last_replayed BIGINT,
        replayed_through_id BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX events_replays_by_name ON events_replays (account_id, region, name);
      CREATE TABLE events_connections (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        authorization_type TEXT NOT NULL,
        auth_parameters TEXT NOT NULL,
        kms_key_identifier TEXT,
        state TEXT NOT NULL,
        state_reason TEXT,
        secret_arn TEXT NOT NULL,
        access_token TEXT,
        token_expires_at BIGINT,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL,
        authorized_at BIGINT
      );
      CREATE UNIQUE INDEX events_connections_by_name ON events_connections (account_id, region, name);
      CREATE TABLE events_api_destinations (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        connection_arn TEXT NOT NULL,
        invocation_endpoint TEXT NOT NULL,
        http_method TEXT NOT NULL,
        rate_limit INTEGER,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX events_api_destinations_by_name
        ON events_api_destinations (account_id, region, name);
    `,
  },
  {
    // A scheduled rule's next due time: advanced in the transaction that queues its deliveries.
    id: 'events-002-rule-next-due',
    up: () => `
      ALTER TABLE events_rules ADD COLUMN next_due_at BIGINT;
      CREATE INDEX events_rules_by_due ON events_rules (next_due_at);
    `,
  },
];

export interface BusFields {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  kms_key_identifier: string | null;
  dead_letter_config: string | null;
  log_config: string | null;
  policy: string | null;
  tags: string;
  version: number;
  created_at: number;
  modified_at: number;
}

export interface RuleRow extends Record<string, unknown> {
  arn: string;
  bus_arn: string;
  name: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  tags: string;
  created_at: number;
  /** When an enabled scheduled rule fires next; null for the others. */
  next_due_at: number | null;
}

export interface TargetRow extends Record<string, unknown> {
  rule_arn: string;
  target_id: string;
  arn: string;
  definition: string;
}

export type BusRow = BusFields & Record<string, unknown>;
export type NewBus = Omit<BusFields, 'version'>;

export const busQueries = {
  get: (db: Queryable, arn: string) => db.get<BusRow>('SELECT * FROM events_buses WHERE arn = ?', [arn]),

  /** The default bus exists in every account and region: its row is written when first needed. */
  ensure: (db: Queryable, bus: NewBus) =>
    db.run(
      `INSERT INTO events_buses (arn, account_id, region, name, description, kms_key_identifier,
         dead_letter_config, log_config, policy, tags, version, created_at, modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (arn) DO NOTHING`,
      [
        bus.arn,
        bus.account_id,
        bus.region,
        bus.name,
        bus.description,
        bus.kms_key_identifier,
        bus.dead_letter_config,
        bus.log_config,
        bus.policy,
        bus.tags,
        bus.created_at,
        bus.modified_at,
      ],
    ),

  /** Buses of a region in name order after `after`, whose names start with `prefix`. */
  list: (db: Queryable, at: Region, prefix: string, after: string, limit: number) =>
    db.all<BusRow>(
      `SELECT * FROM events_buses WHERE account_id = ? AND region = ? AND name > ?
         AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?`,
      [at.accountId, at.region, after, prefix.length, prefix, limit],
    ),

  update: (db: Queryable, bus: BusRow) =>
    db.run(
      `UPDATE events_buses SET description = ?, kms_key_identifier = ?, dead_letter_config = ?,
         log_config = ?, policy = ?, tags = ?, modified_at = ? WHERE arn = ?`,
      [
        bus.description,
        bus.kms_key_identifier,
        bus.dead_letter_config,
        bus.log_config,
        bus.policy,
        bus.tags,
        bus.modified_at,
        bus.arn,
      ],
    ),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM events_buses WHERE arn = ?', [arn]),

  /** Routing on this bus changed (a rule, target or archive): PutEvents reloads it. */
  bumpVersion: (db: Queryable, arn: string) =>
    db.run('UPDATE events_buses SET version = version + 1 WHERE arn = ?', [arn]),

  /**
   * What routing compares with what it compiled: the version, and when the bus was created (a bus
   * deleted and created again starts counting anew).
   */
  version: async (db: Queryable, arn: string) => {
    const row = await db.get<{ version: number; created_at: number }>(
      'SELECT version, created_at FROM events_buses WHERE arn = ?',
      [arn],
    );
    return row && `${row.created_at}.${row.version}`;
  },
};

export const ruleQueries = {
  get: (db: Queryable, busArn: string, name: string) =>
    db.get<RuleRow>('SELECT * FROM events_rules WHERE bus_arn = ? AND name = ?', [busArn, name]),

  byArn: (db: Queryable, arn: string) => db.get<RuleRow>('SELECT * FROM events_rules WHERE arn = ?', [arn]),

  upsert: (db: Queryable, rule: RuleRow) =>
    db.run(
      `INSERT INTO events_rules (arn, bus_arn, name, event_pattern, schedule_expression, state,
         description, role_arn, tags, created_at, next_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (arn) DO UPDATE SET event_pattern = excluded.event_pattern,
         schedule_expression = excluded.schedule_expression, state = excluded.state,
         description = excluded.description, role_arn = excluded.role_arn, tags = excluded.tags,
         next_due_at = excluded.next_due_at`,
      [
        rule.arn,
        rule.bus_arn,
        rule.name,
        rule.event_pattern,
        rule.schedule_expression,
        rule.state,
        rule.description,
        rule.role_arn,
        rule.tags,
        rule.created_at,
        rule.next_due_at,
      ],
    ),

  setState: (db: Queryable, arn: string, state: string, nextDueAt: number | null) =>
    db.run('UPDATE events_rules SET state = ?, next_due_at = ? WHERE arn = ?', [state, nextDueAt, arn]),

  /** Scheduled rules due at `now`, earliest first. */
  due: (db: Queryable, now: number, limit: number) =>
    db.all<RuleRow>('SELECT * FROM events_rules WHERE next_due_at <= ? ORDER BY next_due_at, arn LIMIT ?', [
      now,
      limit,
    ]),

  earliestDue: async (db: Queryable) =>
    (await db.get<{ due: number | null }>('SELECT MIN(next_due_at) AS due FROM events_rules'))?.due ??
    undefined,

  /**
   * Moves a rule's due time on, only if it is still `from`: the claim that makes a due time fire
   * once, however many nodes try (false: another got there first, or the rule changed).
   */
  advanceDue: async (db: Queryable, arn: string, from: number, to: number | null) =>
    (
      await db.run('UPDATE events_rules SET next_due_at = ? WHERE arn = ? AND next_due_at = ?', [
        to,
        arn,
        from,
      ])
    ).changes === 1,

  setTags: (db: Queryable, arn: string, tags: string) =>
    db.run('UPDATE events_rules SET tags = ? WHERE arn = ?', [tags, arn]),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM events_rules WHERE arn = ?', [arn]),

  list: (db: Queryable, busArn: string, prefix: string, after: string, limit: number) =>
    db.all<RuleRow>(
      `SELECT * FROM events_rules WHERE bus_arn = ? AND name > ? AND substr(name, 1, ?) = ?
       ORDER BY name LIMIT ?`,
      [busArn, after, prefix.length, prefix, limit],
    ),

  /** What routing needs: the bus's enabled rules that match events (those with a pattern). */
  routable: (db: Queryable, busArn: string) =>
    db.all<RuleRow>(
      `SELECT * FROM events_rules WHERE bus_arn = ? AND event_pattern IS NOT NULL AND state <> 'DISABLED'
       ORDER BY name`,
      [busArn],
    ),

  /** Names of the bus's rules with a target of this ARN, in name order after `after`. */
  namesByTarget: (db: Queryable, busArn: string, targetArn: string, after: string, limit: number) =>
    db.all<{ name: string }>(
      `SELECT DISTINCT r.name FROM events_rules r JOIN events_targets t ON t.rule_arn = r.arn
       WHERE r.bus_arn = ? AND t.arn = ? AND r.name > ? ORDER BY r.name LIMIT ?`,
      [busArn, targetArn, after, limit],
    ),
};

export const targetQueries = {
  ofRule: (db: Queryable, ruleArn: string) =>
    db.all<TargetRow>('SELECT * FROM events_targets WHERE rule_arn = ? ORDER BY target_id', [ruleArn]),

  /** The targets of a bus's routable rules, for its routing. */
  ofBus: (db: Queryable, busArn: string) =>
    db.all<TargetRow>(
      `SELECT t.* FROM events_targets t JOIN events_rules r ON r.arn = t.rule_arn
       WHERE r.bus_arn = ? ORDER BY t.rule_arn, t.target_id`,
      [busArn],
    ),

  count: async (db: Queryable, ruleArn: string) =>
    (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events_targets WHERE rule_arn = ?', [ruleArn]))
      ?.n ?? 0,

  put: (db: Queryable, row: TargetRow) =>
    db.run(
      `INSERT INTO events_targets (rule_arn, target_id, arn, definition) VALUES (?, ?, ?, ?)
       ON CONFLICT (rule_arn, target_id) DO UPDATE SET arn = excluded.arn, definition = excluded.definition`,
      [row.rule_arn, row.target_id, row.arn, row.definition],
    ),

  delete: (db: Queryable, ruleArn: string, targetId: string) =>
    db.run('DELETE FROM events_targets WHERE rule_arn = ? AND target_id = ?', [ruleArn, targetId]),
};
