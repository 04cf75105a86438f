/**
 * The SES v2 model, plus one route botocore's model (which the aws CLI and our generator use)
 * does not have yet: current AWS SDKs list identities with `POST /v2/email/list-identities`,
 * taking PageSize, NextToken and a Filter in the body, where botocore still sends
 * `GET /v2/email/identities`. AWS serves both, so Stratus does; both reach `ListEmailIdentities`.
 * Drop this once `npm run models -- sesv2` brings the route in.
 */
import { loadServiceModel, type ServiceModel } from '../../protocol/model.js';

export function sesv2Model(): ServiceModel {
  const model = loadServiceModel('sesv2');
  const listing = model.operations.ListEmailIdentities;
  if (
    !listing ||
    Object.values(model.operations).some((op) => op.http.requestUri === '/v2/email/list-identities')
  ) {
    return model;
  }
  model.shapes.ListEmailIdentitiesFilter = {
    type: 'map',
    key: { shape: 'ListEmailIdentitiesFilterKey' },
    value: { shape: 'ListEmailIdentitiesFilterValue' },
  };
  model.shapes.ListEmailIdentitiesFilterKey = {
    type: 'string',
    enum: ['IDENTITY_NAME_CONTAINS', 'IDENTITY_TYPE', 'VERIFICATION_STATUS'],
  };
  model.shapes.ListEmailIdentitiesFilterValue = { type: 'string' };
  model.shapes.ListEmailIdentitiesBodyRequest = {
    type: 'structure',
    members: {
      Filter: { shape: 'ListEmailIdentitiesFilter' },
      NextToken: { shape: 'NextToken' },
      PageSize: { shape: 'MaxItems' },
    },
  };
  // Keyed apart from the GET route; the name is what dispatch uses, so both reach one method.
  model.operations['ListEmailIdentities (POST)'] = {
    ...listing,
    http: { method: 'POST', requestUri: '/v2/email/list-identities' },
    input: { shape: 'ListEmailIdentitiesBodyRequest' },
  };
  return model;
}
