export * from './common';
export * from './service';
export * from './sample';
export * from './anomaly';
export * from './decision';
export * from './fleet-config';
