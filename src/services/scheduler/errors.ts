/** EventBridge Scheduler's errors, named after the model's error shapes. */
import { errorType } from '../../protocol/errors.js';

export const ValidationException = errorType('ValidationException');
export const ResourceNotFoundException = errorType('ResourceNotFoundException');
export const ConflictException = errorType('ConflictException');

export const scheduleNotFound = (name: string) =>
  new ResourceNotFoundException(`Schedule ${name} does not exist.`);
export const groupNotFound = (name: string) =>
  new ResourceNotFoundException(`Schedule group ${name} does not exist.`);
