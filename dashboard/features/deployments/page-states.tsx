// What a page shows while it waits, when it failed and when there is nothing yet. Each says
// what to do next; the loading one keeps the space the content will take.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import type { ApiFailure } from "../../lib/api-client";

export function failureKey(failure: ApiFailure) {
  if (failure.status === 0) return "common.errors.network" as const;
  if (failure.status === 404) return "common.errors.notFound" as const;
  if (failure.status === 429) return "common.errors.rateLimited" as const;
  if (failure.status >= 500) return "common.errors.server" as const;
  return "common.errors.unknown" as const;
}

export function ErrorState({
  failure,
  onRetry,
  title,
  children,
}: {
  failure: ApiFailure;
  onRetry?: () => void;
  title?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div
      role="alert"
      className="rounded-xl border border-red-300 bg-red-50 p-5 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{title ?? t("common.loadFailed")}</p>
      <p className="mt-1 text-sm">{t(failureKey(failure))}</p>
      {children}
      {onRetry && (
        <Button variant="secondary" className="mt-4" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      )}
    </div>
  );
}

export function EmptyState({ title, body, action }: { title: string; body?: string; action?: ReactNode }) {
  return (
    <div className="rounded-xl border border-slate-300 border-dashed bg-white p-6 text-center dark:border-slate-700 dark:bg-slate-900">
      <p className="font-semibold text-slate-900 dark:text-white">{title}</p>
      {body && <p className="mx-auto mt-1 max-w-prose text-slate-600 text-sm dark:text-slate-300">{body}</p>}
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}

/** Grey blocks where content will be; `label` is announced once. */
export function Skeleton({ label, blocks }: { label: string; blocks: string[] }) {
  return (
    <div>
      <p role="status" className="sr-only">
        {label}
      </p>
      <div aria-hidden="true" className="grid gap-3">
        {blocks.map((size, index) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
            key={index}
            className={`rounded-lg bg-slate-200/70 motion-safe:animate-pulse dark:bg-slate-800 ${size}`}
          />
        ))}
      </div>
    </div>
  );
}

export const cardClass =
  "rounded-xl border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900";
