import type { ReactNode } from "react";

interface SettingsSectionProps {
  id: string;
  title: string;
  description?: string;
  /** Shown on the heading's right, e.g. the 2FA status. */
  aside?: ReactNode;
  children: ReactNode;
}

export function SettingsSection({ id, title, description, aside, children }: SettingsSectionProps) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-2xl">
          <h2 id={`${id}-title`} className="font-semibold text-lg text-slate-900 dark:text-white">
            {title}
          </h2>
          {description && <p className="mt-1 text-slate-600 text-sm dark:text-slate-300">{description}</p>}
        </div>
        {aside}
      </div>
      <div className="mt-5">{children}</div>
    </section>
  );
}

/** Grey blocks where a list will appear: the section has its final height before the data. */
export function SectionSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div aria-hidden="true" className="grid gap-3">
      {Array.from({ length: rows }, (_, index) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to key on
          key={index}
          className="h-16 rounded-lg bg-slate-100 motion-safe:animate-pulse dark:bg-slate-800"
        />
      ))}
    </div>
  );
}
