// The one skeleton of every administration edit page: load the item with its ETag, save with
// If-Match, retire with If-Match (after asking), and on 412/428 ("someone else changed it" /
// "no version sent") offer to read the item in again. Each page only says what its item looks
// like (heading, meta line, form) and which texts to use.
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ApiError } from '@shared/lib/http';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import type { Versioned } from '../api/versioned';
import { Notice } from './Notice';
import { RetireSection } from './RetireSection';

interface Retirable {
  version: number;
  retired: boolean;
}

export interface EditContext<T, B> {
  item: T;
  /** Remount the form with this key: a new version loaded means fresh values. */
  etag: string;
  save: (body: B) => void;
  saving: boolean;
  /** The save's error, for the form's field errors (422). */
  serverError: unknown;
}

interface Props<T extends Retirable, B> {
  query: UseQueryResult<Versioned<T>, Error>;
  update: UseMutationResult<Versioned<T>, Error, { body: B; etag: string }>;
  retire: UseMutationResult<Versioned<T>, Error, string>;
  /** The list page this item belongs to (breadcrumb, and the title while loading). */
  list: { to: string; title: string };
  heading: (item: T) => string;
  /** The line under the heading (ids, version, retired mark). */
  meta: (item: T) => ReactNode;
  /** Shown instead of an error when the item does not exist (404). */
  notFound?: ReactNode;
  /** Shown at the top of a retired item. */
  retiredNote?: string;
  /** The notice after a save. */
  saved: (result: Versioned<T>) => string;
  retiring: {
    title: string;
    text: string;
    question: (item: T) => string;
    /** What a 409 means here, instead of the general text. */
    conflictMessage?: string;
    /** The notice after retiring. */
    done: string;
  };
  children: (edit: EditContext<T, B>) => ReactNode;
}

export function EditPage<T extends Retirable, B>({
  query,
  update,
  retire,
  list,
  heading,
  meta,
  notFound,
  retiredNote,
  saved,
  retiring,
  children,
}: Props<T, B>) {
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(query.data ? heading(query.data.item) : list.title);

  if (query.isPending) return <Loading />;
  if (notFound && query.error instanceof ApiError && query.error.status === 404) return <>{notFound}</>;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const { item, etag } = query.data;

  const reload = () => {
    update.reset();
    retire.reset();
    setNotice(null);
    void query.refetch();
  };
  const save = (body: B) => {
    setNotice(null);
    retire.reset();
    update.mutate({ body, etag }, { onSuccess: (result) => setNotice(saved(result)) });
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={list.to}>{list.title}</Link>
      </p>
      <h1>{heading(item)}</h1>
      <p className="muted">{meta(item)}</p>
      <Notice message={notice} />
      {item.retired && retiredNote && (
        <div className="alert">
          <p>{retiredNote}</p>
        </div>
      )}
      <ProblemAlert error={update.error} onReload={isStaleVersion(update.error) ? reload : undefined} />
      {children({ item, etag, save, saving: update.isPending, serverError: update.error })}
      {!item.retired && (
        <RetireSection
          title={retiring.title}
          text={retiring.text}
          question={retiring.question(item)}
          conflictMessage={retiring.conflictMessage}
          busy={retire.isPending}
          error={retire.error}
          onReload={reload}
          onConfirm={(close) => {
            setNotice(null);
            update.reset();
            retire.mutate(etag, { onSuccess: () => setNotice(retiring.done), onSettled: close });
          }}
        />
      )}
    </>
  );
}
