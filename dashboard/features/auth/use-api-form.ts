import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiFailure, ApiResult } from "../../lib/api-client";
import { type FailureProblems, type FieldProblems, type Problem, problemsForFailure } from "./problems";

/** The translated text of a problem; one place knows how Problem maps to `t`. */
export function useProblemText() {
  const { t } = useTranslation();
  return useCallback(
    (problem: Problem | null | undefined): string | undefined =>
      problem
        ? (t as unknown as (key: string, values?: Record<string, unknown>) => string)(
            problem.key,
            problem.values,
          )
        : undefined,
    [t],
  );
}

/**
 * False on the server and during hydration, true once the island runs: a form's submit stays
 * disabled until then, so a click before hydration cannot post the form natively (with the
 * password in the request to a static page).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

interface SendOptions<Field extends string> {
  /** Stay busy after success: the page is about to navigate away. */
  keepBusy?: boolean;
  /** Where a failure's messages go, when the generic mapping does not fit the form. */
  describeFailure?: (failure: ApiFailure) => FailureProblems<Field>;
}

/**
 * The state every API form shares: problems per field and for the whole form, and "sending".
 * Problems move focus to the first invalid field, whose message is tied to it.
 */
export function useApiForm<Field extends string>(fields: readonly Field[]) {
  const [fieldProblems, setFieldProblems] = useState<FieldProblems<Field>>({});
  const [formProblem, setFormProblem] = useState<Problem | null>(null);
  const [sending, setSending] = useState(false);
  // Enter in a field submits even while the button is busy: one request at a time.
  const inFlight = useRef(false);
  const inputs = useRef(new Map<Field, HTMLInputElement | HTMLSelectElement | null>());

  const register = useCallback(
    (field: Field) => (element: HTMLInputElement | HTMLSelectElement | null) => {
      inputs.current.set(field, element);
    },
    [],
  );

  const focusFirst = useCallback(
    (problems: FieldProblems<Field>) => {
      const first = fields.find((field) => problems[field]);
      if (first) inputs.current.get(first)?.focus();
    },
    [fields],
  );

  const clearField = useCallback((field: Field) => {
    setFieldProblems((previous) => {
      if (!previous[field]) return previous;
      const next = { ...previous };
      delete next[field];
      return next;
    });
  }, []);

  const reset = useCallback(() => {
    setFieldProblems({});
    setFormProblem(null);
  }, []);

  /** Checks, then sends; answers null when the form's own checks failed or a request is in flight. */
  async function send<T>(
    clientProblems: FieldProblems<Field>,
    request: () => Promise<ApiResult<T>>,
    options: SendOptions<Field> = {},
  ): Promise<ApiResult<T> | null> {
    if (inFlight.current) return null;
    setFormProblem(null);
    if (Object.keys(clientProblems).length > 0) {
      setFieldProblems(clientProblems);
      focusFirst(clientProblems);
      return null;
    }
    setFieldProblems({});
    setSending(true);
    inFlight.current = true;
    const result = await request();
    if (!result.ok || !options.keepBusy) inFlight.current = false;
    if (!result.ok) {
      const problems = options.describeFailure?.(result.error) ?? problemsForFailure(result.error, fields);
      setFieldProblems(problems.fields);
      setFormProblem(problems.form);
      setSending(false);
      focusFirst(problems.fields);
    } else if (!options.keepBusy) {
      setSending(false);
    }
    return result;
  }

  return { fieldProblems, formProblem, setFormProblem, sending, send, register, clearField, reset };
}

/** The current page's query parameter, read after hydration (there is no URL at build time). */
export function useSearchParam(name: string): string | null | undefined {
  const [value, setValue] = useState<string | null | undefined>(undefined);
  useEffect(() => setValue(new URLSearchParams(window.location.search).get(name)), [name]);
  return value;
}
