/**
 * DynamoDB is two services on the wire — DynamoDB (`DynamoDB_20120810.*`) and DynamoDB Streams
 * (`DynamoDBStreams_20120810.*`), both signed as `dynamodb` — over one set of tables, which the
 * DynamoDB definition owns with its background work (maintenance, TTL deletes, stream trims).
 */
import { Poller } from '../../engine/poller.js';
import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { Backups } from './backups.js';
import { Batches } from './batch.js';
import { TableCatalog } from './catalog.js';
import { ChangeRecorders, ItemHistory, trimHistory } from './history.js';
import { ItemRows } from './item-store.js';
import { ItemOperations } from './items.js';
import { maintenanceQueue, MaintenanceWorker } from './maintenance.js';
import { PartiQL } from './partiql-operations.js';
import { PartiQLTransactions } from './partiql-transaction.js';
import { DynamoDbProvider } from './provider.js';
import { QueryScan } from './query-scan.js';
import { PageReader } from './reads.js';
import { StreamReader } from './stream-reader.js';
import { StreamRecorder, trimStreams } from './streams.js';
import { DynamoDbStreamsProvider } from './streams-provider.js';
import { TableAdmin } from './table-admin.js';
import { dynamodbMigrations, dynamodbTables } from './tables.js';
import { Transactions } from './transactions.js';
import { TtlDeleter } from './ttl.js';

/** How often stream records past their 24 hours, and PITR history past 35 days, are deleted. */
const trimMs = 60_000;

export const dynamodb: ServiceDefinition = {
  name: 'dynamodb',
  model: loadServiceModel('dynamodb'),
  migrations: dynamodbMigrations,
  tables: dynamodbTables,
  workQueues: [maintenanceQueue],
  create({ store, clock, workQueue, logger, endpointUrl }) {
    const catalog = new TableCatalog(store, clock);
    const rows = new ItemRows(store.dialect);
    const streams = new StreamRecorder(clock);
    const changes = new ChangeRecorders([streams, new ItemHistory(clock)]);
    const maintenance = new MaintenanceWorker({ store, clock, workQueue, catalog, rows, logger });
    const ttl = new TtlDeleter({ store, clock, catalog, rows, changes, logger });
    const tables = new TableAdmin(store, clock, catalog, workQueue, streams, () => maintenance.wake());
    const items = new ItemOperations(store, catalog, rows, changes);
    const pages = new PageReader(store, rows);
    const transactions = new Transactions(store, clock, catalog, rows, changes);
    const provider = new DynamoDbProvider(
      tables,
      items,
      new QueryScan(catalog, pages),
      new Batches(store, catalog, rows, changes),
      transactions,
      new Backups(store, clock, catalog, rows),
      new PartiQL(catalog, items, pages),
      new PartiQLTransactions(catalog, transactions),
      () => new URL(endpointUrl()).host,
    );
    const trimmer = new Poller(
      () =>
        Promise.all([trimStreams(store, clock.now()), trimHistory(store, clock.now())]).then(() => undefined),
      trimMs,
      (err) => logger.warn({ err }, 'stream and history trim failed'),
    );
    const start = () => {
      maintenance.start();
      ttl.start();
      trimmer.start();
    };
    const stop = async () => {
      await Promise.all([maintenance.stop(), ttl.stop(), trimmer.stop()]);
    };
    return {
      provider,
      start,
      stop,
      quiesce: stop,
      async reset() {
        catalog.forgetAll();
        start();
      },
    };
  },
};

export const dynamodbstreams: ServiceDefinition = {
  name: 'dynamodbstreams',
  model: loadServiceModel('dynamodbstreams'),
  sharesStateWith: 'dynamodb',
  create: ({ store, clock }) => ({ provider: new DynamoDbStreamsProvider(new StreamReader(store, clock)) }),
};
