import type { ButtonHTMLAttributes, Ref } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger";

const base =
  "inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 font-medium text-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2";

/** Only on real buttons (links share `buttonClass`); not while waiting for hydration. */
const disabledClass =
  "disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

export const buttonClass: Record<ButtonVariant, string> = {
  primary: `${base} bg-sky-700 text-white hover:bg-sky-800 focus-visible:outline-sky-600 dark:bg-sky-500 dark:text-slate-950 dark:hover:bg-sky-400 dark:focus-visible:outline-sky-400`,
  secondary: `${base} border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 focus-visible:outline-sky-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-400`,
  danger: `${base} border border-red-300 bg-white text-red-800 hover:bg-red-50 focus-visible:outline-red-600 dark:border-red-800 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950 dark:focus-visible:outline-red-400`,
};

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /**
   * Sending: the button is disabled (aria-disabled, so that it keeps the keyboard focus; presses
   * are ignored) and shows `busyLabel` at the same width.
   */
  busy?: boolean;
  busyLabel?: string;
  /**
   * The page's script has not started yet: the button cannot be used (a form would be posted
   * natively) but does not look disabled, since it will work a moment later.
   */
  waiting?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = "primary",
  busy = false,
  busyLabel,
  waiting = false,
  disabled,
  className = "",
  type = "button",
  children,
  onClick,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || waiting}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      className={`${buttonClass[variant]} ${waiting ? "" : disabledClass} ${className}`}
      onClick={(event) => {
        // A busy submit button must not send the form a second time.
        if (busy) event.preventDefault();
        else onClick?.(event);
      }}
      {...rest}
    >
      {/* Both labels share one grid cell, so the button is as wide as the longer one. The
          accessible name stays the action's ("Sign in", disabled and busy), not "Sending…". */}
      <span className="grid">
        <span className={`col-start-1 row-start-1 ${busy && busyLabel ? "opacity-0" : ""}`}>{children}</span>
        {busyLabel && (
          <span aria-hidden="true" className={`col-start-1 row-start-1 ${busy ? "" : "invisible"}`}>
            {busyLabel}
          </span>
        )}
      </span>
    </button>
  );
}
