import type { ReactNode } from "react";

/** A row of "label: value" facts under a session's or a token's name. */
export function Facts({ children }: { children: ReactNode }) {
  return (
    <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-slate-600 text-sm dark:text-slate-300">
      {children}
    </dl>
  );
}

export function Fact({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex gap-1">
      <dt>{label}:</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
