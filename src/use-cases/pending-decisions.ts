// Decisions that still need the sweep or the verifier, found without reading every service each
// minute: a decision item joins an index (the table's `pending` GSI) when it is written needing
// follow-up, and leaves it when done — at its verification, or when the sweep or the verifier
// reads it and finds it finished (or too old for either to act on), by a conditional write. The
// scheduled sweep and verify read that one index, so their reads grow with the pending work, not
// with the fleet.
import { awaitsVerification } from '../decision';
import type { Decision } from '../model';

/** Still to be reviewed, carried out, or verified. */
export function needsFollowUp(d: Decision): boolean {
  return (
    d.status === 'proposed' ||
    d.status === 'approved' ||
    d.status === 'executing' ||
    awaitsVerification(d)
  );
}
