// The policy condition language now lives in the model (service configuration validates it).
export * from '../model/condition';
