/** A setting the plan decides: shown, greyed, not editable (the field's hint says why). */
export const lockedInputClass =
  "disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-600 dark:disabled:bg-slate-800 dark:disabled:text-slate-400";
