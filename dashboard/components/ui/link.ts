/** Inline text links: underlined, so they do not rely on colour alone. */
export const linkClass =
  "rounded-sm font-medium text-sky-800 underline decoration-sky-800/40 underline-offset-2 hover:decoration-sky-800 focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:outline-offset-2 dark:text-sky-300 dark:decoration-sky-300/40 dark:hover:decoration-sky-300 dark:focus-visible:outline-sky-400";
