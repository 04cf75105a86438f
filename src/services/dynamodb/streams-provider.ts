/**
 * DynamoDB Streams' operations. Differences from AWS: a stream has one open shard at a time
 * (DynamoDB has one per partition); it still closes and hands over to a child shard every four
 * hours, so consumers that follow shard lineage are exercised.
 */
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type { RequestContext } from '../service.js';
import type { StreamReader } from './stream-reader.js';

export class DynamoDbStreamsProvider {
  constructor(private readonly reader: StreamReader) {}

  ListStreams(input: Streams.ListStreamsInput, at: RequestContext): Promise<Streams.ListStreamsOutput> {
    return this.reader.listStreams(input, at);
  }

  DescribeStream(input: Streams.DescribeStreamInput): Promise<Streams.DescribeStreamOutput> {
    return this.reader.describeStream(input);
  }

  GetShardIterator(input: Streams.GetShardIteratorInput): Promise<Streams.GetShardIteratorOutput> {
    return this.reader.getShardIterator(input);
  }

  GetRecords(input: Streams.GetRecordsInput): Promise<Streams.GetRecordsOutput> {
    return this.reader.getRecords(input);
  }
}
