// Policy schemas and SPEC X2 defaults live in the model, beside the service they configure.
export * from '../model/policy';
