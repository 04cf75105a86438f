/**
 * The SQS model as Stratus serves it. botocore's SQS model is the JSON one; since SQS moved from
 * the query protocol to JSON it no longer carries two things the query protocol needs and that
 * AWS's own Smithy model still has: the `@awsQueryError` codes (`AWS.SimpleQueueService.NonExistentQueue`,
 * sent in `x-amzn-query-error` and in `<ErrorResponse>`), and the query names of members
 * (`Attribute.1.Name`, `MessageAttribute.1.Value.StringValue`, `SendMessageBatchRequestEntry.1.Id`).
 * They are restored here as data, so the generic json and query protocols serve both wire forms.
 */
import { loadServiceModel, type ServiceModel, type Shape } from '../../protocol/model.js';

/** Error shape → [query error code, HTTP status], as AWS's awsQueryError traits give them. */
const queryErrors: Record<string, [string, number]> = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InvalidAddress: ['InvalidAddress', 404],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  InvalidSecurity: ['InvalidSecurity', 403],
  KmsAccessDenied: ['KMS.AccessDeniedException', 400],
  KmsDisabled: ['KMS.DisabledException', 400],
  KmsInvalidKeyUsage: ['KMS.InvalidKeyUsageException', 400],
  KmsInvalidState: ['KMS.InvalidStateException', 400],
  KmsNotFound: ['KMS.NotFoundException', 400],
  KmsOptInRequired: ['KMS.OptInRequired', 403],
  KmsThrottled: ['KMS.ThrottlingException', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  OverLimit: ['OverLimit', 403],
  PurgeQueueInProgress: ['AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  QueueDeletedRecently: ['AWS.SimpleQueueService.QueueDeletedRecently', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  RequestThrottled: ['RequestThrottled', 403],
  ResourceNotFoundException: ['ResourceNotFoundException', 404],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
};

/** Structure members → their query name. */
const memberNames: Record<string, Record<string, string>> = {
  CreateQueueRequest: { Attributes: 'Attribute', tags: 'Tag' },
  SetQueueAttributesRequest: { Attributes: 'Attribute' },
  GetQueueAttributesResult: { Attributes: 'Attribute' },
  TagQueueRequest: { Tags: 'Tag' },
  ListQueueTagsResult: { Tags: 'Tag' },
  SendMessageRequest: {
    MessageAttributes: 'MessageAttribute',
    MessageSystemAttributes: 'MessageSystemAttribute',
  },
  SendMessageBatchRequestEntry: {
    MessageAttributes: 'MessageAttribute',
    MessageSystemAttributes: 'MessageSystemAttribute',
  },
  Message: { Attributes: 'Attribute', MessageAttributes: 'MessageAttribute' },
  MessageAttributeValue: { StringListValues: 'StringListValue', BinaryListValues: 'BinaryListValue' },
  MessageSystemAttributeValue: { StringListValues: 'StringListValue', BinaryListValues: 'BinaryListValue' },
};

/** Flattened lists → the query name of their items. */
const listItemNames: Record<string, string> = {
  AWSAccountIdList: 'AWSAccountId',
  ActionNameList: 'ActionName',
  AttributeNameList: 'AttributeName',
  BatchResultErrorEntryList: 'BatchResultErrorEntry',
  ChangeMessageVisibilityBatchRequestEntryList: 'ChangeMessageVisibilityBatchRequestEntry',
  ChangeMessageVisibilityBatchResultEntryList: 'ChangeMessageVisibilityBatchResultEntry',
  DeleteMessageBatchRequestEntryList: 'DeleteMessageBatchRequestEntry',
  DeleteMessageBatchResultEntryList: 'DeleteMessageBatchResultEntry',
  ListMessageMoveTasksResultEntryList: 'ListMessageMoveTasksResultEntry',
  MessageAttributeNameList: 'MessageAttributeName',
  MessageList: 'Message',
  MessageSystemAttributeList: 'MessageSystemAttributeName',
  QueueUrlList: 'QueueUrl',
  SendMessageBatchRequestEntryList: 'SendMessageBatchRequestEntry',
  SendMessageBatchResultEntryList: 'SendMessageBatchResultEntry',
  StringList: 'StringListValue',
  BinaryList: 'BinaryListValue',
  TagKeyList: 'TagKey',
};

/** Maps → the query names of their key and value. */
const mapEntryNames: Record<string, [string, string]> = {
  QueueAttributeMap: ['Name', 'Value'],
  MessageBodyAttributeMap: ['Name', 'Value'],
  MessageBodySystemAttributeMap: ['Name', 'Value'],
  MessageSystemAttributeMap: ['Name', 'Value'],
  TagMap: ['Key', 'Value'],
};

/** The code an SQS error travels under on the query wire and in batch result entries. */
export function queryErrorCode(shapeName: string): string {
  return queryErrors[shapeName]?.[0] ?? shapeName;
}

function shape(model: ServiceModel, name: string): Shape {
  const found = model.shapes[name];
  if (!found) throw new Error(`SQS model has no shape ${name}`);
  return found;
}

export function loadSqsModel(): ServiceModel {
  const model = loadServiceModel('sqs');
  for (const [name, [code, status]] of Object.entries(queryErrors)) {
    shape(model, name).error = { code, httpStatusCode: status, senderFault: status < 500 };
  }
  for (const [name, members] of Object.entries(memberNames)) {
    const target = shape(model, name).members!;
    for (const [member, locationName] of Object.entries(members)) target[member]!.locationName = locationName;
  }
  for (const [name, item] of Object.entries(listItemNames)) {
    const list = shape(model, name);
    list.member = { ...list.member!, locationName: item };
    list.flattened = true;
  }
  for (const [name, [key, value]] of Object.entries(mapEntryNames)) {
    const map = shape(model, name);
    map.key = { ...map.key!, locationName: key };
    map.value = { ...map.value!, locationName: value };
  }
  // ReceiveMessage's deprecated AttributeNames takes message system attribute names
  // (`SentTimestamp` …), which the model's queue attribute enum would refuse; AWS accepts them.
  model.shapes.ReceiveAttributeNameList = {
    type: 'list',
    member: { shape: 'String', locationName: 'AttributeName' },
    flattened: true,
  };
  shape(model, 'ReceiveMessageRequest').members!.AttributeNames!.shape = 'ReceiveAttributeNameList';
  model.metadata.protocols = ['json', 'query'];
  model.metadata.xmlNamespace = 'http://queue.amazonaws.com/doc/2012-11-05/';
  return model;
}
