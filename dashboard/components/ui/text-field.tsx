import type { InputHTMLAttributes, Ref } from "react";

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "className"> {
  id: string;
  label: string;
  /** Shown after the label, e.g. "optional". */
  labelNote?: string;
  hint?: string;
  /** The translated error: the field is marked invalid and the message is tied to it. */
  error?: string;
  inputClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-xs placeholder:text-slate-500 focus:border-sky-600 focus:outline-2 focus:outline-sky-600 focus:outline-offset-0 aria-invalid:border-red-600 sm:text-sm dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400 dark:focus:border-sky-400 dark:focus:outline-sky-400 dark:aria-invalid:border-red-400";

export const labelClass = "block font-medium text-slate-800 text-sm dark:text-slate-200";
export const hintClass = "mt-1.5 text-slate-600 text-sm dark:text-slate-400";
export const errorClass = "mt-1.5 font-medium text-red-700 text-sm dark:text-red-300";

/** A labelled input whose hint and error are announced with it (`aria-describedby`). */
export function TextField({
  id,
  label,
  labelNote,
  hint,
  error,
  inputClassName = "",
  ref,
  ...input
}: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
        {labelNote && <span className="font-normal text-slate-600 dark:text-slate-400"> ({labelNote})</span>}
      </label>
      <input
        id={id}
        ref={ref}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`mt-1.5 ${inputClass} ${inputClassName}`}
        {...input}
      />
      {error && (
        <p id={errorId} className={errorClass}>
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      )}
    </div>
  );
}
