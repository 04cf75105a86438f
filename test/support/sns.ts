/** A started Stratus with an SNS client, for the SNS end-to-end tests. */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ManualClock } from '../../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './stratus.js';

export interface SnsTest {
  stratus: TestStratus;
  sns: SNSClient;
  /** CreateTopic (idempotent, as on AWS); its ARN. */
  topic(name: string, attributes?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export async function startSnsTest(clock: ManualClock): Promise<SnsTest> {
  const stratus = await startTestStratus({ clock });
  const sns = new SNSClient(stratus.clientConfig);
  return {
    stratus,
    sns,
    topic: async (Name, Attributes) =>
      (await sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn!,
    close: async () => {
      sns.destroy();
      await stratus.close();
    },
  };
}
