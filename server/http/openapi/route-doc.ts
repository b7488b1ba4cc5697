/** How a route is documented: the OpenAPI document is built from these and the zod schemas. */
import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: boolean;
  body?: string;
  /** A multipart/form-data upload with a `file` field. */
  upload?: boolean;
  query?: z.ZodObject;
  headers?: ('If-Match' | 'Idempotency-Key' | 'X-CSRF-Token')[];
  ok: { status: number; description: string; schema?: string; json?: Record<string, unknown>; content?: string };
  errors: number[];
}

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
