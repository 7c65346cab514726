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

type Options = readonly { value: string; label: string }[];

interface FilterBarProps<Filters extends object> {
  texts: FilteredListTexts;
  className: string;
  filters: UrlFilters<Filters>;
  /** One select per filter, in this order: `<idPrefix>-<name>` with the filter's options. */
  selects: { [K in keyof Filters & string]?: Options };
  idPrefix: string;
  /** For a typed filter before the selects (`children`): Enter or its button. */
  onSubmit?: () => void;
  children?: ReactNode;
}

/** The filters' landmark and form: `children` first, then a select per filter. */
export function FilterBar<Filters extends object>({
  texts,
  className,
  filters,
  selects,
  idPrefix,
  onSubmit,
  children,
}: FilterBarProps<Filters>) {
  const text = useListText(texts);
  const names = Object.keys(selects) as (keyof Filters & string)[];
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
        {names.map((name) => (
          <FilterSelect
            key={name}
            id={`${idPrefix}-${name}`}
            label={text(`filters.${name}`)}
            allLabel={text("filters.all")}
            value={filters.filters?.[name]}
            options={selects[name] ?? []}
            onChange={(value) => filters.change(name, value)}
          />
        ))}
      </form>
    </search>
  );
}

interface FilterSelectProps {
  id: string;
  label: string;
  allLabel: string;
  value: unknown;
  options: Options;
  onChange: (value: string) => void;
}

/** One of a list's filters: "all", or one of `options`. */
function FilterSelect({ id, label, allLabel, value, options, onChange }: FilterSelectProps) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select
        id={id}
        className={`mt-1.5 ${inputClass}`}
        value={typeof value === "string" ? value : ""}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{allLabel}</option>
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
