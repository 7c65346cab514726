// The filters above a paged list whose filters live in the address. The lists share the shape of
// their texts: `<list>.filters.label`, `.filters.<key>`, `.filters.all`, `.filters.clear`,
// `.empty`, `.emptyBody`, `.emptyFiltered` and `.emptyFilteredBody`.
import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "../../features/deployments/page-states";
import { buttonClass } from "../ui/button";
import { inputClass, labelClass } from "../ui/text-field";
import type { UrlFilters } from "./use-url-filters";

/** The lists whose texts follow the shape above. */
export type FilteredListTexts = "deployments" | "hints";

function useListText(texts: FilteredListTexts) {
  const { t } = useTranslation();
  // The key is built from the list's name; every list named here has each of these keys.
  return (key: string) => (t as unknown as (key: string) => string)(`${texts}.${key}`);
}

/** The filters' landmark and form; `onSubmit` is for a typed filter (Enter or its button). */
export function FilterBar({
  texts,
  className,
  onSubmit,
  children,
}: {
  texts: FilteredListTexts;
  className: string;
  onSubmit?: () => void;
  children: ReactNode;
}) {
  const text = useListText(texts);
  return (
    <search aria-label={text("filters.label")}>
      <form
        className={className}
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          onSubmit?.();
        }}
      >
        {children}
      </form>
    </search>
  );
}

interface FilterSelectProps<Filters extends object> {
  texts: FilteredListTexts;
  /** The select's id: `<idPrefix>-<name>`. */
  idPrefix: string;
  name: keyof Filters & string;
  filters: UrlFilters<Filters>;
  options: readonly { value: string; label: string }[];
}

/** One of a list's filters: "all", or one of `options`. */
export function FilterSelect<Filters extends object>({
  texts,
  idPrefix,
  name,
  filters,
  options,
}: FilterSelectProps<Filters>) {
  const text = useListText(texts);
  const id = `${idPrefix}-${name}`;
  const value = filters.filters?.[name];
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {text(`filters.${name}`)}
      </label>
      <select
        id={id}
        className={`mt-1.5 ${inputClass}`}
        value={typeof value === "string" ? value : ""}
        onChange={(event) => filters.change(name, event.target.value)}
      >
        <option value="">{text("filters.all")}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Nothing yet", or "nothing matches" with a button that clears the filters. */
export function FilteredEmpty({
  texts,
  filtered,
  onClear,
}: {
  texts: FilteredListTexts;
  filtered: boolean;
  onClear: () => void;
}) {
  const text = useListText(texts);
  return (
    <EmptyState
      title={text(filtered ? "emptyFiltered" : "empty")}
      body={text(filtered ? "emptyFilteredBody" : "emptyBody")}
      action={
        filtered ? (
          <button type="button" className={buttonClass.secondary} onClick={onClear}>
            {text("filters.clear")}
          </button>
        ) : undefined
      }
    />
  );
}
