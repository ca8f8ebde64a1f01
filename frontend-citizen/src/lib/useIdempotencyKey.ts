import { useMemo, useRef } from 'react';

export interface IdempotencyKey {
  /** The key for this submit attempt: a new one for a new submission, the same one for a retry. */
  forAttempt: () => string;
  /** Call after the server has given its final answer (success): the next submit is a new one. */
  settle: () => void;
}

/**
 * One Idempotency-Key per intended submission. It is created on the first attempt and kept until
 * the submission succeeds, so a retry after a network error cannot create a second order.
 */
export function useIdempotencyKey(): IdempotencyKey {
  const key = useRef<string | null>(null);
  return useMemo(
    () => ({
      forAttempt: () => {
        key.current ??= crypto.randomUUID();
        return key.current;
      },
      settle: () => {
        key.current = null;
      },
    }),
    [],
  );
}
