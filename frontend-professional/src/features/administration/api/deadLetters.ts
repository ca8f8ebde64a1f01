// The outbox's dead letters (technical operation: operators and central administrators):
// events whose delivery failed on every attempt, and sending one again.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listOutboxDeadLetters, requeueOutboxDeadLetter } from '@shared/client/sdk.gen';
import { operatorKeys } from '../../../lib/queryKeys';
import { useInvalidatingMutation } from './versioned';

export const DEAD_LETTER_PAGE_SIZE = 50;

export function useDeadLetters(page: number) {
  return useQuery({
    queryKey: operatorKeys.deadLetterPage(page),
    queryFn: async () =>
      (await listOutboxDeadLetters({ query: { page, page_size: DEAD_LETTER_PAGE_SIZE }, throwOnError: true })).data,
    placeholderData: keepPreviousData,
  });
}

/** The event is pending again from its first attempt and is delivered by the next drain. */
export function useRequeueDeadLetter() {
  return useInvalidatingMutation(async (eventId: string) => {
    await requeueOutboxDeadLetter({ path: { event_id: eventId }, throwOnError: true });
  }, [operatorKeys.deadLetters]);
}
