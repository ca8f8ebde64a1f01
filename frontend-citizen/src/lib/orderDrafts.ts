// An order being filled in, kept in sessionStorage (this tab only, gone when the tab closes;
// never a cookie) so that Back, reload and a new login after the session ended do not lose it.
// It holds what the citizen typed and the Idempotency-Key of its submission, never the
// personnummer. Explicit logout removes every draft.
const PREFIX = 'pep.orderDraft.';
/** Older drafts are dropped: no session lives longer (absolute limit 12 hours). */
export const DRAFT_MAX_AGE_MS = 12 * 60 * 60 * 1000;

export interface StoredDraft<V> {
  values: V;
  /** One key per draft: a retry (also after a new login) is never a second order. */
  idempotencyKey: string;
  savedAt: number;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage disabled: the flow still works, only without surviving a reload
  }
}

export function loadDraft<V extends object>(catalogId: string, now = Date.now()): StoredDraft<V> | null {
  const store = storage();
  const raw = store?.getItem(PREFIX + catalogId);
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Partial<StoredDraft<V>>;
    if (
      typeof draft.idempotencyKey !== 'string' ||
      typeof draft.savedAt !== 'number' ||
      typeof draft.values !== 'object' ||
      draft.values === null ||
      now - draft.savedAt > DRAFT_MAX_AGE_MS
    ) {
      store?.removeItem(PREFIX + catalogId);
      return null;
    }
    return draft as StoredDraft<V>;
  } catch {
    store?.removeItem(PREFIX + catalogId);
    return null;
  }
}

export function saveDraft<V extends object>(catalogId: string, draft: Omit<StoredDraft<V>, 'savedAt'>): void {
  try {
    storage()?.setItem(PREFIX + catalogId, JSON.stringify({ ...draft, savedAt: Date.now() }));
  } catch {
    // Full or disabled storage: keep going without it.
  }
}

export function clearDraft(catalogId: string): void {
  storage()?.removeItem(PREFIX + catalogId);
}

/** On logout: nothing the citizen typed stays in the tab. */
export function clearAllDrafts(): void {
  const store = storage();
  if (!store) return;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}
