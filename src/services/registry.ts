/** Every service Stratus runs. Adding a service is adding its definition here (see docs/adding-a-service.md). */
import type { ServiceDefinition } from './service.js';
import { apigateway, apigatewaymanagementapi, apigatewayv2 } from './apigateway/definition.js';
import { cloudwatch } from './cloudwatch/definition.js';
import { dynamodb, dynamodbstreams } from './dynamodb/definition.js';
import { events } from './events/definition.js';
import { lambda } from './lambda/definition.js';
import { logs } from './logs/definition.js';
import { s3 } from './s3/definition.js';
import { scheduler } from './scheduler/definition.js';
import { ses, sesv2 } from './ses/definition.js';
import { sns } from './sns/definition.js';
import { sqs } from './sqs/definition.js';
import { sts } from './sts/definition.js';

export const serviceDefinitions: readonly ServiceDefinition[] = [
  logs,
  sts,
  cloudwatch,
  lambda,
  sqs,
  sns,
  ses,
  sesv2,
  dynamodb,
  dynamodbstreams,
  apigateway,
  apigatewayv2,
  apigatewaymanagementapi,
  events,
  scheduler,
  // Last: its `/{Bucket}/{Key+}` matches almost any path, so other REST services are tried first.
  s3,
];
