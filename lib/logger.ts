// One structured JSON logger per container (AWS Powertools), with correlation ids per invocation.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'vigia' });
