// The services file deployed with the stack (config/services.json): its schema and its error messages.
import { z } from 'zod';
import { ValidationError } from '../errors';
import { serviceSchema, type Service } from './service';

export const fleetConfigSchema = z
  .strictObject({
    services: z.array(serviceSchema),
  })
  .refine((c) => new Set(c.services.map((s) => s.id)).size === c.services.length, {
    message: 'service ids must be unique',
    path: ['services'],
  });

export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/** Parses any input with a schema, or throws a ValidationError naming every bad field. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ValidationError(`${what} is invalid: ${detail}`, issues);
}

export function parseFleetConfig(input: unknown, source = 'config/services.json'): Service[] {
  return parseWith(fleetConfigSchema, input, source).services;
}
