import type { ReactNode } from "react";

type Tone = "error" | "success" | "info";

const toneClass: Record<Tone, string> = {
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  success:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
};

interface AlertProps {
  tone: Tone;
  children: ReactNode;
  id?: string;
  className?: string;
}

/** A message about the whole form or section; errors interrupt screen readers, others wait. */
export function Alert({ tone, children, id, className = "" }: AlertProps) {
  return (
    <div
      id={id}
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-md border px-4 py-3 text-sm ${toneClass[tone]} ${className}`}
    >
      {children}
    </div>
  );
}
