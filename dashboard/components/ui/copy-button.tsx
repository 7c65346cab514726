import { useEffect, useState } from "react";
import { Button, type ButtonVariant } from "./button";

interface CopyButtonProps {
  text: string;
  label: string;
  copiedLabel: string;
  failedLabel: string;
  variant?: ButtonVariant;
}

/** Copies `text`; the outcome is announced politely next to the button. */
export function CopyButton({
  text,
  label,
  copiedLabel,
  failedLabel,
  variant = "secondary",
}: CopyButtonProps) {
  const [outcome, setOutcome] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (outcome !== "copied") return;
    const timer = setTimeout(() => setOutcome("idle"), 2500);
    return () => clearTimeout(timer);
  }, [outcome]);

  return (
    <span className="inline-flex items-center">
      <Button
        variant={variant}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setOutcome("copied");
          } catch {
            setOutcome("failed");
          }
        }}
      >
        {label}
      </Button>
      <span role="status" className="ms-3 text-slate-700 text-sm empty:ms-0 dark:text-slate-300">
        {outcome === "copied" ? copiedLabel : outcome === "failed" ? failedLabel : ""}
      </span>
    </span>
  );
}
