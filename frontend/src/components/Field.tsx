// A labelled form field: its help and the API's message for it are tied to the input, so a
// screen reader reads them with it.
import { cloneElement, useId, type ReactElement } from "react";

export function Field({
  text,
  error,
  help,
  children,
}: {
  text: string;
  error?: string;
  help?: string;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const described = [help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <label>
      {text}
      {cloneElement(children, {
        ...(described ? { "aria-describedby": described } : {}),
        ...(error ? { "aria-invalid": true } : {}),
      })}
      {help && <small id={`${id}-help`}>{help}</small>}
      {error && (
        <small className="error" id={`${id}-error`}>
          {error}
        </small>
      )}
    </label>
  );
}
