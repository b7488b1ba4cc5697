/**
 * What a zod error says, field by field, in the one form every input of Arbiter answers with
 * (events, request bodies, queries): each problem names its field as a dotted path, an unknown
 * field too (zod says all of an object's unknown keys in one issue about the object), and a
 * problem with a whole body names none.
 */
import type { z } from 'zod';

export interface FieldIssue {
  field: string | undefined;
  message: string;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: `there is no field "${key}" here` }));
    return [{ field: at.join('.') || undefined, message: issue.message }];
  });
}
