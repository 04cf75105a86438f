/**
 * What SNS sends, pure: the JSON envelope of a notification or subscription confirmation (for
 * HTTP/S, SQS, email-json and the dead-letter queue), the string SNS signs for it, and the event a
 * Lambda function receives. Field order follows what SNS sends.
 */

/** A message attribute as it travels inside a delivery (binary values base64). */
export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** One durable delivery of one message to one subscription (the work item's payload). */
export interface Delivery {
  kind: 'Notification' | 'SubscriptionConfirmation';
  at: { accountId: string; region: string };
  topicArn: string;
  subscriptionArn: string;
  messageId: string;
  /** The message for this subscription's protocol (MessageStructure json already resolved). */
  message: string;
  subject?: string;
  attributes: Record<string, StoredAttribute>;
  timestamp: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  token?: string;
}

export interface EnvelopeUrls {
  signingCertUrl: string;
  /** UnsubscribeURL for notifications, SubscribeURL for confirmations. */
  actionUrl: string;
}

export type Signer = (stringToSign: string) => string;

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** `{Type, Value}` per attribute, as the envelope and Lambda events carry them. */
export function envelopeAttributes(
  attributes: Record<string, StoredAttribute>,
): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' };
  }
  return out;
}

/**
 * The keys SNS signs, in this order, each as `Key\nvalue\n` (AWS's "Verifying the signatures of
 * Amazon SNS messages"); Subject only when present.
 */
export function stringToSign(fields: Record<string, string | undefined>): string {
  const keys =
    fields['Type'] === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys
    .filter((key) => fields[key] !== undefined)
    .map((key) => `${key}\n${fields[key]}\n`)
    .join('');
}

export function confirmationText(topicArn: string): string {
  return `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
}

/** The JSON envelope, signed with the topic's SignatureVersion. */
export function envelope(
  delivery: Delivery,
  urls: EnvelopeUrls,
  signatureVersion: string,
  sign: Signer,
): Record<string, unknown> {
  const timestamp = isoTimestamp(delivery.timestamp);
  if (delivery.kind === 'SubscriptionConfirmation') {
    const fields = {
      Type: delivery.kind,
      MessageId: delivery.messageId,
      Token: delivery.token!,
      TopicArn: delivery.topicArn,
      Message: delivery.message,
      SubscribeURL: urls.actionUrl,
      Timestamp: timestamp,
    };
    return {
      ...fields,
      SignatureVersion: signatureVersion,
      Signature: sign(stringToSign(fields)),
      SigningCertURL: urls.signingCertUrl,
    };
  }
  const signed = {
    Type: delivery.kind,
    MessageId: delivery.messageId,
    ...(delivery.sequenceNumber ? { SequenceNumber: delivery.sequenceNumber } : {}),
    TopicArn: delivery.topicArn,
    ...(delivery.subject !== undefined ? { Subject: delivery.subject } : {}),
    Message: delivery.message,
    Timestamp: timestamp,
  };
  const attributes = envelopeAttributes(delivery.attributes);
  return {
    ...signed,
    SignatureVersion: signatureVersion,
    Signature: sign(stringToSign(signed)),
    SigningCertURL: urls.signingCertUrl,
    UnsubscribeURL: urls.actionUrl,
    ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
  };
}

/** The event Lambda passes a function subscribed to a topic (`Records[].Sns`). */
export function lambdaEvent(
  delivery: Delivery,
  urls: EnvelopeUrls,
  signatureVersion: string,
  sign: Signer,
): Record<string, unknown> {
  const e = envelope(delivery, urls, signatureVersion, sign);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: delivery.subscriptionArn,
        Sns: {
          Type: e['Type'],
          MessageId: e['MessageId'],
          TopicArn: e['TopicArn'],
          Subject: e['Subject'] ?? null,
          Message: e['Message'],
          Timestamp: e['Timestamp'],
          SignatureVersion: e['SignatureVersion'],
          Signature: e['Signature'],
          SigningCertUrl: e['SigningCertURL'],
          UnsubscribeUrl: e['UnsubscribeURL'],
          MessageAttributes: e['MessageAttributes'] ?? {},
        },
      },
    ],
  };
}
