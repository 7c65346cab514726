import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState, failureKey } from "../../features/deployments/page-states";
import { Button } from "../ui/button";
import type { PagedList as PagedListState } from "./use-paged-list";

interface PagedListProps<T> {
  paged: PagedListState<T>;
  /** What stands in for the rows while they load (a skeleton of their size). */
  loading: ReactNode;
  /** Keeps `loading` up after the first page arrived, while something the rows need is missing. */
  waiting?: boolean;
  empty: ReactNode;
  /** The rows; "load more" follows them while there is a next page. */
  children: (items: T[]) => ReactNode;
}

/** A paged list's views: loading, failed (with retry), empty, and the rows with "load more". */
export function PagedList<T>({ paged, loading, waiting = false, empty, children }: PagedListProps<T>) {
  const { list } = paged;
  if (list.kind === "loading" || (list.kind === "ready" && waiting)) return loading;
  if (list.kind === "error") return <ErrorState failure={list.failure} onRetry={paged.reload} />;
  if (list.items.length === 0) return empty;
  return (
    <>
      {children(list.items)}
      {list.nextCursor && <LoadMore paged={paged} />}
    </>
  );
}

function LoadMore<T>({ paged }: { paged: PagedListState<T> }) {
  const { t } = useTranslation();
  return (
    <div className="mt-4 flex items-center gap-3">
      <Button
        variant="secondary"
        busy={paged.more.loading}
        busyLabel={t("common.loadingMore")}
        onClick={() => void paged.loadMore()}
      >
        {t("common.loadMore")}
      </Button>
      {paged.more.failure && (
        <span role="alert" className="text-red-700 text-sm dark:text-red-300">
          {t(failureKey(paged.more.failure))}
        </span>
      )}
    </div>
  );
}

/** How many rows are shown, announced politely as pages arrive. */
export function ShownCount({ className, children }: { className: string; children: ReactNode }) {
  return (
    <p role="status" className={`${className} text-slate-600 text-sm dark:text-slate-300`}>
      {children}
    </p>
  );
}
