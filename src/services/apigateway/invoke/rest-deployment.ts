/**
 * A REST API deployment compiled for serving: its resource tree for matching paths, its request
 * validators and models for checking calls, and its customized gateway responses. Made once per
 * deployment (compiled-deployments.ts keeps it): a deployment never changes.
 */
import type { RestSnapshot } from '../deployments.js';
import { CustomizedResponses } from './customized-responses.js';
import { RequestValidation } from './request-validation.js';
import { RestRoutes } from './rest-routes.js';

export class RestDeployment {
  readonly routes: RestRoutes;
  readonly validation: RequestValidation;
  readonly responses: CustomizedResponses;

  constructor(readonly snapshot: RestSnapshot) {
    this.routes = new RestRoutes(snapshot);
    this.validation = new RequestValidation(snapshot);
    this.responses = new CustomizedResponses(snapshot);
  }
}
