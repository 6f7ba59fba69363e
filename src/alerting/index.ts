// The alerting domain: incidents from anomalies, alert-manager timing, recovery notes, rendering.
export * from './config';
export * from './incident';
export * from './incident-view';
export * from './recovery-note';
export * from './silence';
export * from './notification';
export * from './alert-state';
export * from './flush';
export * from './step';
export * from './compose';
export * from './render-email';
export * from './render-slack';
export * from './render-webhook';
export * from './block-kit';
export { titleLine, snsSafe } from './text';
