import type { ChangeEvent, Ref } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "../../components/ui/text-field";

/**
 * Which code a two-factor form asks for: the authenticator's 6 digits, a recovery code, or
 * either (turning two-factor off accepts both).
 */
export type CodeKind = "totp" | "recovery" | "totpOrRecovery";

interface CodeFieldProps {
  kind: CodeKind;
  id: string;
  error?: string;
  /** Given for a controlled field; left out, the form reads the value when it is sent. */
  value?: string;
  onChange?: (event: ChangeEvent<HTMLInputElement>) => void;
  /** Added to the input's classes, e.g. a width. */
  inputClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

const inputs = {
  totp: {
    label: "auth.fields.totpCode",
    hint: "auth.fields.totpCodeHint",
    attributes: { inputMode: "numeric", autoComplete: "one-time-code", maxLength: 7 },
    className: "font-mono tracking-widest",
  },
  recovery: {
    label: "auth.fields.recoveryCode",
    hint: "auth.fields.recoveryCodeHint",
    attributes: { autoComplete: "off", autoCapitalize: "none" },
    className: "font-mono",
  },
  totpOrRecovery: {
    label: "auth.fields.totpOrRecoveryCode",
    hint: "auth.fields.totpOrRecoveryCodeHint",
    attributes: { autoComplete: "one-time-code", autoCapitalize: "characters", maxLength: 64 },
    className: "font-mono",
  },
} as const;

/** A two-factor code, as every form that asks for one labels, hints and types it. */
export function CodeField({ kind, id, error, value, onChange, inputClassName, ref }: CodeFieldProps) {
  const { t } = useTranslation();
  const input = inputs[kind];
  return (
    <TextField
      id={id}
      ref={ref}
      label={t(input.label)}
      hint={t(input.hint)}
      name="code"
      {...input.attributes}
      spellCheck={false}
      value={value}
      onChange={onChange}
      error={error}
      inputClassName={inputClassName ? `${inputClassName} ${input.className}` : input.className}
    />
  );
}
