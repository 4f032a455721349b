import { Type } from '@sinclair/typebox';

/**
 * Query schema of an API route that takes no query fields. Any field gets 400 naming it, so a
 * filter put in the URL of a request that reads its body is not silently ignored.
 */
export const NoQuery = Type.Object({}, { additionalProperties: false });
