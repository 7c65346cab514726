import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "../../components/ui/text-field";

interface CodeFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  ref?: Ref<HTMLInputElement>;
}

/** The 6-digit authenticator code, as every 2FA form asks for it. */
export function CodeField({ id, value, onChange, error, ref }: CodeFieldProps) {
  const { t } = useTranslation();
  return (
    <TextField
      id={id}
      ref={ref}
      label={t("auth.fields.totpCode")}
      hint={t("auth.fields.totpCodeHint")}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      spellCheck={false}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
      inputClassName="max-w-40 font-mono tracking-widest"
    />
  );
}
