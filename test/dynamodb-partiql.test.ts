import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchExecuteStatementCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DuplicateItemException,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  ExecuteStatementCommand as DocExecuteStatement,
} from '@aws-sdk/lib-dynamodb';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('DynamoDB PartiQL', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  const run = (
    Statement: string,
    extra: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]> = {},
  ) => dynamodb.send(new ExecuteStatementCommand({ Statement, ...extra }));

  /** The error a statement fails with. */
  const refusal = async (Statement: string, Parameters?: AttributeValue[]) => {
    try {
      await run(Statement, Parameters ? { Parameters } : {});
    } catch (err) {
      return err as Error;
    }
    throw new Error(`expected ${Statement} to fail`);
  };

  const get = async (Artist: string, Song: string) =>
    (
      await dynamodb.send(
        new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: Artist }, Song: { S: Song } } }),
      )
    ).Item;

  beforeAll(async () => {
    stratus = await startTestStratus();
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    documents = DynamoDBDocumentClient.from(dynamodb);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Music',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'Song', AttributeType: 'S' },
          { AttributeName: 'Genre', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'Song', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByGenre',
            KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Counters',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  describe('INSERT, SELECT, UPDATE and DELETE', () => {
    it('inserts an item written as a tuple, with every data type', async () => {
      const result = await run(
        `INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'Song': 'PartiQL Rocks', 'Year': 2020, 'Price': 1.50,
          'Tags': <<'rock', 'sql'>>, 'Ratings': <<4, 5>>, 'Awards': {'Grammys': [2020, 2018]}, 'Live': TRUE, 'Notes': NULL}`,
      );
      expect(result.Items).toEqual([]);
      expect(await get('Acme Band', 'PartiQL Rocks')).toEqual({
        Artist: { S: 'Acme Band' },
        Song: { S: 'PartiQL Rocks' },
        Year: { N: '2020' },
        Price: { N: '1.5' },
        Tags: { SS: ['rock', 'sql'] },
        Ratings: { NS: ['4', '5'] },
        Awards: { M: { Grammys: { L: [{ N: '2020' }, { N: '2018' }] } } },
        Live: { BOOL: true },
        Notes: { NULL: true },
      });
    });

    it('an INSERT of a key that exists fails with DuplicateItemException', async () => {
      const err = await refusal(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'Song': 'PartiQL Rocks'}`);
      expect(err).toBeInstanceOf(DuplicateItemException);
      expect(err.message).toBe('Duplicate primary key exists in table');
    });

    it('binds ? parameters in the order written', async () => {
      await run(`INSERT INTO "Music" VALUE {'Artist': ?, 'Song': ?, 'Plays': ?}`, {
        Parameters: [{ S: 'Acme Band' }, { S: 'Second Song' }, { N: '10' }],
      });
      const result = await run(`SELECT Song, Plays FROM "Music" WHERE Artist = ? AND Song = ?`, {
        Parameters: [{ S: 'Acme Band' }, { S: 'Second Song' }],
      });
      expect(result.Items).toEqual([{ Song: { S: 'Second Song' }, Plays: { N: '10' } }]);
    });

    it('selects document paths under their last name', async () => {
      const result = await run(
        `SELECT Awards.Grammys[0], Tags FROM "Music" WHERE Artist = 'Acme Band' AND Song = 'PartiQL Rocks'`,
      );
      expect(result.Items).toEqual([{ 'Grammys[0]': { N: '2020' }, Tags: { SS: ['rock', 'sql'] } }]);
    });

    it('updates with SET (arithmetic, nested paths, set_add, list_append) and REMOVE', async () => {
      await run(
        `UPDATE "Music" SET Year = Year + 1, Awards.Grammys[0] = 2021 SET Tags = set_add(Tags, <<'live'>>) REMOVE Notes
         WHERE Artist = 'Acme Band' AND Song = 'PartiQL Rocks'`,
      );
      const item = await get('Acme Band', 'PartiQL Rocks');
      expect(item?.Year).toEqual({ N: '2021' });
      expect(item?.Awards).toEqual({ M: { Grammys: { L: [{ N: '2021' }, { N: '2018' }] } } });
      expect(item?.Tags?.SS?.sort()).toEqual(['live', 'rock', 'sql']);
      expect(item?.Notes).toBeUndefined();
    });

    it('RETURNING answers the item before or after, or only what changed', async () => {
      const where = `WHERE Artist = 'Acme Band' AND Song = 'Second Song'`;
      const modified = await run(`UPDATE "Music" SET Plays = Plays + 1 ${where} RETURNING MODIFIED NEW *`);
      expect(modified.Items).toEqual([{ Plays: { N: '11' } }]);
      const old = await run(`UPDATE "Music" SET Plays = 0 ${where} RETURNING ALL OLD *`);
      expect(old.Items?.[0]).toMatchObject({ Artist: { S: 'Acme Band' }, Plays: { N: '11' } });
      const nothing = await run(`UPDATE "Music" REMOVE Absent ${where} RETURNING MODIFIED OLD *`);
      expect(nothing.Items).toEqual([]);
    });

    it('an UPDATE of an item that does not exist fails its condition', async () => {
      const err = await refusal(`UPDATE "Music" SET Plays = 1 WHERE Artist = 'Nobody' AND Song = 'Nothing'`);
      expect(err).toBeInstanceOf(ConditionalCheckFailedException);
      expect(await get('Nobody', 'Nothing')).toBeUndefined();
    });

    it('other WHERE conditions of an UPDATE or DELETE must hold, and can return the item', async () => {
      const where = `WHERE Artist = 'Acme Band' AND Song = 'PartiQL Rocks' AND Year > 3000`;
      const err = await run(`UPDATE "Music" SET Plays = 1 ${where}`, {
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }).catch((e: ConditionalCheckFailedException) => e);
      expect(err).toBeInstanceOf(ConditionalCheckFailedException);
      expect((err as ConditionalCheckFailedException).Item?.Year).toEqual({ N: '2021' });
      await expect(run(`DELETE FROM "Music" ${where}`)).rejects.toBeInstanceOf(
        ConditionalCheckFailedException,
      );
      expect(await get('Acme Band', 'PartiQL Rocks')).toBeDefined();
    });

    it('a DELETE of an item that is not there succeeds', async () => {
      const result = await run(
        `DELETE FROM "Music" WHERE Artist = 'Nobody' AND Song = 'Nothing' AND Year = 1 RETURNING ALL OLD *`,
      );
      expect(result.Items).toEqual([]);
    });

    it('DELETE RETURNING ALL OLD * answers the deleted item', async () => {
      await run(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'Song': 'Gone', 'Year': 1999}`);
      const result = await run(
        `DELETE FROM "Music" WHERE "Artist" = 'Acme Band' AND "Song" = 'Gone' RETURNING ALL OLD *`,
      );
      expect(result.Items).toEqual([
        { Artist: { S: 'Acme Band' }, Song: { S: 'Gone' }, Year: { N: '1999' } },
      ]);
      expect(await get('Acme Band', 'Gone')).toBeUndefined();
    });

    it('UPDATE and DELETE need an equality on every key attribute', async () => {
      for (const statement of [
        `UPDATE "Music" SET Plays = 1 WHERE Artist = 'Acme Band'`,
        `DELETE FROM "Music" WHERE Year = 2021`,
        `FROM "Music" SET Plays = 1`,
      ]) {
        const err = await refusal(statement);
        expect(err.name).toBe('ValidationException');
        expect(err.message).toBe('Where clause does not contain a mandatory equality on all key attributes');
      }
    });

    it('works through the document client', async () => {
      await documents.send(
        new DocExecuteStatement({
          Statement: `INSERT INTO "Music" VALUE {'Artist': ?, 'Song': ?, 'Details': ?}`,
          Parameters: ['Doc Band', 'Doc Song', { label: 'Indie', charts: [1, 2] }],
        }),
      );
      const result = await documents.send(
        new DocExecuteStatement({
          Statement: `SELECT * FROM "Music" WHERE Artist = ? AND Song = ?`,
          Parameters: ['Doc Band', 'Doc Song'],
        }),
      );
      expect(result.Items).toEqual([
        { Artist: 'Doc Band', Song: 'Doc Song', Details: { label: 'Indie', charts: [1, 2] } },
      ]);
    });
  });

  describe('reads', () => {
    beforeAll(async () => {
      for (let i = 0; i < 12; i++) {
        await dynamodb.send(
          new PutItemCommand({
            TableName: 'Music',
            Item: {
              Artist: { S: 'Pager' },
              Song: { S: `Song ${String(i).padStart(2, '0')}` },
              Plays: { N: String(i * 10) },
              Genre: { S: i % 2 === 0 ? 'Jazz' : 'Pop' },
            },
          }),
        );
      }
    });

    it('a SELECT with the partition key is a Query, paged by Limit and NextToken', async () => {
      const statement = `SELECT Song FROM "Music" WHERE Artist = 'Pager' AND Song >= 'Song 03'`;
      const songs: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await run(statement, { Limit: 4, ...(NextToken ? { NextToken } : {}) });
        songs.push(...page.Items!.map((item) => item.Song!.S!));
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      expect(songs).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => `Song ${String(i).padStart(2, '0')}`));
      expect(pages).toBe(3);
    });

    it('ORDER BY the sort key DESC reads the partition backwards', async () => {
      const result = await run(
        `SELECT Song FROM "Music" WHERE Artist = 'Pager' AND begins_with(Song, 'Song 0') ORDER BY Song DESC`,
      );
      expect(result.Items!.map((item) => item.Song!.S)).toEqual(
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `Song 0${i}`),
      );
    });

    it('a NextToken belongs to its statement', async () => {
      const first = await run(`SELECT * FROM "Music" WHERE Artist = 'Pager'`, { Limit: 1 });
      const err = await run(`SELECT Song FROM "Music" WHERE Artist = 'Pager'`, {
        Limit: 1,
        NextToken: first.NextToken!,
      }).catch((e: Error) => e);
      expect((err as Error).message).toBe('NextToken does not match request');
      const invalid = await run(`SELECT * FROM "Music" WHERE Artist = 'Pager'`, {
        NextToken: 'not a token',
      }).catch((e: Error) => e);
      expect((invalid as Error).message).toBe('Invalid NextToken');
    });

    it('a SELECT without the partition key scans with the WHERE clause as filter', async () => {
      const result = await run(
        `SELECT Song, Plays FROM "Music" WHERE Plays BETWEEN 30 AND 60 AND attribute_type(Plays, 'N')`,
      );
      expect(result.Items!.map((item) => item.Plays!.N).sort()).toEqual(['30', '40', '50', '60']);
    });

    it('IN on the partition key reads each partition named', async () => {
      const result = await run(
        `SELECT Artist, Song FROM "Music" WHERE Artist IN ['Doc Band', 'Acme Band'] AND Song <> 'Second Song'`,
      );
      expect(result.Items!.map((item) => `${item.Artist!.S}/${item.Song!.S}`)).toEqual([
        'Doc Band/Doc Song',
        'Acme Band/PartiQL Rocks',
      ]);
    });

    it('reads an index named "Table"."Index"', async () => {
      const result = await run(`SELECT Song FROM "Music"."ByGenre" WHERE Genre = 'Jazz' AND Plays >= 60`);
      expect(result.Items!.map((item) => item.Song!.S).sort()).toEqual(['Song 06', 'Song 08', 'Song 10']);
      const consistent = await run(`SELECT * FROM "Music"."ByGenre" WHERE Genre = 'Jazz'`, {
        ConsistentRead: true,
      }).catch((e: Error) => e);
      expect((consistent as Error).message).toBe(
        'Strongly consistent read is not supported on Global Secondary Indexes',
      );
    });

    it('IS MISSING, IS NOT MISSING, contains and size filter items', async () => {
      const missing = await run(`SELECT Song FROM "Music" WHERE Artist = 'Acme Band' AND Plays IS MISSING`);
      expect(missing.Items).toEqual([{ Song: { S: 'PartiQL Rocks' } }]);
      const present = await run(
        `SELECT Song FROM "Music" WHERE Artist = 'Acme Band' AND "Plays" IS NOT MISSING`,
      );
      expect(present.Items).toEqual([{ Song: { S: 'Second Song' } }]);
      const sets = await run(
        `SELECT Song FROM "Music" WHERE Artist = 'Acme Band' AND contains(Tags, 'live') AND size(Tags) = 3`,
      );
      expect(sets.Items).toEqual([{ Song: { S: 'PartiQL Rocks' } }]);
    });

    it('reports consumed capacity', async () => {
      const result = await run(`SELECT * FROM "Music" WHERE Artist = 'Pager' AND Song = 'Song 01'`, {
        ReturnConsumedCapacity: 'TOTAL',
      });
      expect(result.ConsumedCapacity).toEqual({
        TableName: 'Music',
        CapacityUnits: 0.5,
        ReadCapacityUnits: 0.5,
      });
    });
  });

  describe('errors', () => {
    it.each([
      [`SELECT * FROM "Music" WHERE`, `Statement wasn't well formed, can't be processed: Unexpected term`],
      [
        `SELECT * FROM "Music" WHERE Artist = 'a' AND`,
        `Statement wasn't well formed, can't be processed: Missing right-hand side expression of infix operator`,
      ],
      [
        `SELECT * FROM "Music" WHERE Artist = 'a' foo`,
        `Statement wasn't well formed, can't be processed: Unexpected token after expression`,
      ],
      [
        `SLECT * FROM "Music"`,
        `Statement wasn't well formed, can't be processed: Expected data manipulation`,
      ],
      [
        `DELETE FROM`,
        `Statement wasn't well formed, can't be processed: Expected identifier for simple path`,
      ],
      [
        `SELECT * FROM "Music" WHERE Artist = 'a' /* open`,
        `Statement wasn't well formed, can't be processed: `,
      ],
      [`SELECT * FROM "Music" m WHERE Artist = 'a'`, 'Aliasing is not supported'],
      [
        `SELECT * FROM "Music" WHERE Artist = ?`,
        "Number of parameters in request and statement don't match.",
      ],
      [
        `SELECT * FROM "Music" ORDER BY Song`,
        'Must have WHERE clause in the statement when using ORDER BY clause.',
      ],
      [
        `SELECT * FROM "Music" WHERE Artist = 'a' ORDER BY Plays`,
        'Attribute Plays in ORDER BY clause must be part of the primary key',
      ],
      [
        `SELECT * FROM "Music" WHERE Artist = 1`,
        "Key attribute's data type should match its data type in table's schema: Key Artist",
      ],
      [
        `SELECT * FROM "Music" WHERE Artist = 'a' AND Plays < TRUE`,
        'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL',
      ],
      [
        `INSERT INTO "Music" VALUE {'Artist': 'a', 'Song': 'b', 'S': <<'x', 'x'>>}`,
        'One or more parameter values were invalid: Input collection [x, x] contains duplicates.',
      ],
      [
        `INSERT INTO "Music" VALUE {'Artist': 'a', 'Song': 'b', 'N': {'x': 1e126}}`,
        'Number overflow. Attempting to store a number with magnitude larger than supported range under root.x',
      ],
      [
        `DELETE FROM "Music" WHERE Artist = 'a' AND Song = 'b' RETURNING ALL NEW *`,
        'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
      ],
      [
        `UPDATE "Music" SET Artist = 'b' WHERE Artist = 'a' AND Song = 'b'`,
        'One or more parameter values were invalid: Cannot update attribute Artist. This attribute is part of the key',
      ],
      [
        `EXISTS(SELECT * FROM "Music" WHERE Artist = 'a' AND Song = 'b' AND Plays = 1)`,
        'EXISTS can only be used in ExecuteTransaction write requests.',
      ],
    ])('%s', async (statement, message) => {
      const err = await refusal(statement);
      expect(err.name).toBe('ValidationException');
      expect(err.message).toBe(message);
    });

    it('a statement on a table that does not exist', async () => {
      const err = await refusal(`SELECT * FROM "Nowhere" WHERE Artist = 'a'`);
      expect(err).toBeInstanceOf(ResourceNotFoundException);
      expect(err.message).toBe('Requested resource not found');
    });

    it('a parameter that is not a valid attribute value', async () => {
      const err = await refusal(`SELECT * FROM "Music" WHERE Artist = ?`, [{ SS: ['a', 'a'] }]);
      expect(err.message).toBe(
        'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
      );
    });
  });

  describe('BatchExecuteStatement', () => {
    it('answers each statement on its own, errors included', async () => {
      await run(`INSERT INTO "Counters" VALUE {'id': 1, 'n': 0}`);
      const result = await dynamodb.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `UPDATE "Counters" SET n = n + 1 WHERE id = 1 RETURNING ALL NEW *` },
            { Statement: `INSERT INTO "Counters" VALUE {'id': 1}` },
            { Statement: `INSERT INTO "Counters" VALUE {'id': ?, 'n': 5}`, Parameters: [{ N: '2' }] },
            { Statement: `UPDATE "Counters" SET n = 1 WHERE id = 3` },
            { Statement: `SLECT * FROM "Counters"` },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(result.Responses).toEqual([
        { TableName: 'Counters', Item: { id: { N: '1' }, n: { N: '1' } } },
        {
          TableName: 'Counters',
          Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        },
        { TableName: 'Counters' },
        {
          TableName: 'Counters',
          Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        },
        {
          Error: {
            Code: 'ValidationError',
            Message: "Statement wasn't well formed, can't be processed: Expected data manipulation",
          },
        },
      ]);
      expect(result.ConsumedCapacity).toEqual([
        { TableName: 'Counters', CapacityUnits: 2, WriteCapacityUnits: 2 },
      ]);
    });

    it('reads one item per SELECT, by its full key', async () => {
      const result = await dynamodb.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SELECT n FROM "Counters" WHERE id = 2` },
            { Statement: `SELECT * FROM "Counters" WHERE id = 9` },
            { Statement: `SELECT * FROM "Counters" WHERE n = 5` },
          ],
        }),
      );
      expect(result.Responses).toEqual([
        { TableName: 'Counters', Item: { n: { N: '5' } } },
        { TableName: 'Counters' },
        {
          Error: {
            Code: 'ValidationError',
            Message:
              'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
          },
        },
      ]);
    });
  });

  describe('ExecuteTransaction', () => {
    it('applies every write or none', async () => {
      await run(`INSERT INTO "Counters" VALUE {'id': 10, 'n': 0}`);
      const failing = await dynamodb
        .send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `UPDATE "Counters" SET n = n + 1 WHERE id = 10` },
              { Statement: `INSERT INTO "Counters" VALUE {'id': 11}` },
              { Statement: `INSERT INTO "Counters" VALUE {'id': 1}` },
            ],
          }),
        )
        .catch((e: TransactionCanceledException) => e);
      expect(failing).toBeInstanceOf(TransactionCanceledException);
      expect((failing as TransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      ]);
      const counters = await run(`SELECT * FROM "Counters" WHERE id IN [10, 11]`);
      expect(counters.Items).toEqual([{ id: { N: '10' }, n: { N: '0' } }]);

      const done = await dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM "Counters" WHERE id = 10 AND n = 0)` },
            { Statement: `INSERT INTO "Counters" VALUE {'id': 11}` },
            { Statement: `DELETE FROM "Counters" WHERE id = 2` },
          ],
          ClientRequestToken: 'token-1',
        }),
      );
      expect(done.Responses).toEqual([]);
      const after = await run(`SELECT id FROM "Counters" WHERE id IN [2, 10, 11]`);
      expect(after.Items).toEqual([{ id: { N: '10' } }, { id: { N: '11' } }]);
    });

    it('a failed EXISTS cancels the transaction', async () => {
      const err = await dynamodb
        .send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `EXISTS(SELECT * FROM "Counters" WHERE id = 10 AND n = 99)` },
              { Statement: `UPDATE "Counters" SET n = 1 WHERE id = 11` },
            ],
          }),
        )
        .catch((e: TransactionCanceledException) => e);
      expect((err as TransactionCanceledException).message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      );
    });

    it('reads items of one instant', async () => {
      const result = await dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `SELECT n FROM "Counters" WHERE id = 10` },
            { Statement: `SELECT * FROM "Counters" WHERE id = ?`, Parameters: [{ N: '404' }] },
          ],
        }),
      );
      expect(result.Responses).toEqual([{ Item: { n: { N: '0' } } }, {}]);
    });

    it.each([
      [
        [`SELECT * FROM "Counters" WHERE id = 10`, `DELETE FROM "Counters" WHERE id = 11`],
        'ExecuteTransaction API does not support both read and write operations in the same request.',
      ],
      [
        [`UPDATE "Counters" SET n = 1 WHERE id = 10 RETURNING ALL NEW *`],
        'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
      ],
      [
        [`SELECT * FROM "Counters" WHERE id = 10 AND n = 0`],
        'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
      ],
      [
        [`EXISTS(SELECT * FROM "Counters" WHERE id = 10)`],
        'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition',
      ],
      [
        [`DELETE FROM "Counters" WHERE id = 10`, `UPDATE "Counters" SET n = 1 WHERE id = 10`],
        'Transaction request cannot include multiple operations on one item',
      ],
      [
        [`SELECT * FROM "Counters" WHERE id = 10`, `SELECT * FROM "Counters" WHERE id`],
        `Validation failed in TransactStatements[1]: WHERE clause must contain an expression that resolves to a boolean`,
      ],
    ])('refuses %j', async (statements, message) => {
      const err = await dynamodb
        .send(
          new ExecuteTransactionCommand({
            TransactStatements: statements.map((Statement) => ({ Statement })),
          }),
        )
        .catch((e: Error) => e);
      expect((err as Error).name).toBe('ValidationException');
      expect((err as Error).message).toBe(message);
    });

    it('a missing table or a key that does not fit is a cancellation reason', async () => {
      const err = await dynamodb
        .send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `UPDATE "Nowhere" SET n = 1 WHERE id = 1` },
              { Statement: `UPDATE "Counters" SET n = 1 WHERE id = 'ten'` },
              { Statement: `DELETE FROM "Counters" WHERE id = 10` },
            ],
          }),
        )
        .catch((e: TransactionCanceledException) => e);
      expect((err as TransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'ResourceNotFound', Message: 'Requested resource not found' },
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
        { Code: 'None' },
      ]);
    });
  });
});
