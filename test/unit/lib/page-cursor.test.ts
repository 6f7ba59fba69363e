// The listing cursor: opaque, bound to the query it came from, and refused with a 400-shaped error
// naming `cursor` when it is garbage or from another listing.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import {
  decodeCursor,
  encodeCursor,
  itemKey,
  queryFingerprint,
  type PagedQuery,
} from '../../../lib/store/page-cursor';

const openIncidents: PagedQuery = {
  index: 'gsi1',
  keyCondition: 'gsi1pk = :kind',
  values: { ':kind': 'INCIDENT', ':status': 'open' },
  filter: '#status = :status',
};

describe('page cursor', () => {
  it('resumes after the item it was made from, on the same query', () => {
    const key = itemKey(
      { pk: 'SVC#web', sk: 'INCIDENT#t', gsi1pk: 'INCIDENT', gsi1sk: 't#web', x: 1 },
      'gsi1',
    );
    const f = queryFingerprint(openIncidents);

    expect(decodeCursor(encodeCursor(key, f), openIncidents)).toEqual({
      pk: 'SVC#web',
      sk: 'INCIDENT#t',
      gsi1pk: 'INCIDENT',
      gsi1sk: 't#web',
    });
  });

  it('refuses a cursor from another listing or no cursor at all', () => {
    const resolved = {
      ...openIncidents,
      values: { ...openIncidents.values, ':status': 'resolved' },
    };
    const cursor = encodeCursor(
      { pk: 'a', sk: 'b', gsi1pk: 'INCIDENT', gsi1sk: 't#web' },
      queryFingerprint(resolved),
    );

    for (const bad of [cursor, 'garbage', '']) {
      const err = (() => {
        try {
          decodeCursor(bad, openIncidents);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toContain('cursor');
    }
  });

  it.each([
    ['no key at all', {}],
    ['the table key without the index key', { pk: 'SVC#web', sk: 'INCIDENT#t' }],
    [
      'another partition of the index',
      { pk: 'SVC#web', sk: 'I#t', gsi1pk: 'DECISION', gsi1sk: 't' },
    ],
    ['a key name of its own', { pk: 'p', sk: 's', gsi1pk: 'INCIDENT', gsi1sk: 't', x: 'y' }],
    ['an empty key value', { pk: 'p', sk: '', gsi1pk: 'INCIDENT', gsi1sk: 't' }],
  ])('refuses a cursor of this listing whose key holds %s', (_what, key) => {
    const cursor = encodeCursor(key, queryFingerprint(openIncidents));

    expect(() => decodeCursor(cursor, openIncidents)).toThrow(
      /cursor: not a cursor from this listing/,
    );
  });
});
