/**
 * The seed exercise's function, as the Lambda console's "microservice-http-endpoint" blueprint
 * writes it: a Node.js handler that switches on `event.httpMethod` and scans, puts, updates and
 * deletes items of the table named by `queryStringParameters.TableName` (or the request body),
 * through the document client the runtime provides. Deploy it as `index.mjs`.
 */
export const seedFunction = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, PutCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  let body;
  let statusCode = '200';
  const headers = { 'Content-Type': 'application/json' };
  try {
    switch (event.httpMethod) {
      case 'DELETE':
        body = await dynamo.send(new DeleteCommand(JSON.parse(event.body)));
        break;
      case 'GET':
        body = await dynamo.send(new ScanCommand({ TableName: event.queryStringParameters.TableName }));
        break;
      case 'POST':
        body = await dynamo.send(new PutCommand(JSON.parse(event.body)));
        break;
      case 'PUT':
        body = await dynamo.send(new UpdateCommand(JSON.parse(event.body)));
        break;
      default:
        throw new Error(\`Unsupported method "\${event.httpMethod}"\`);
    }
  } catch (err) {
    statusCode = '400';
    body = err.message;
  } finally {
    body = JSON.stringify(body);
  }
  return { statusCode, body, headers };
};
`;
