// The decision domain's public surface: what decide and scale call.
export * from './diagnosis';
export * from './condition-parser';
export * from './condition-eval';
export * from './policy-schema';
export * from './policy-match';
export * from './scaling-config';
export * from './scaling-state';
export * from './metric-proposals';
export * from './queue-workers';
export * from './scaling-plan';
export * from './seeded-random';
export * from './outcome-judgement';
export * from './action-learning';
export * from './action-pick';
export * from './decision-accuracy';
export * from './autopilot-guard';
