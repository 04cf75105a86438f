import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { StsProvider } from './provider.js';

export const sts: ServiceDefinition = {
  name: 'sts',
  model: loadServiceModel('sts'),
  create: () => ({ provider: new StsProvider() }),
};
