// The public case form (no login): a constituent asks their representative for help and gets
// a case number back. At /form with the app's name and language switch; at /form/embed the same
// form without them, for a party to put on its own site in an iframe (?lang=nl or ?lang=en).
import { useMutation, useQuery } from "@tanstack/react-query";
import {
  cloneElement,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactElement,
} from "react";
import { useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/QueryStatus";
import { LanguageContext, useT, type MessageKey } from "../i18n";
import { LanguageSwitch } from "../LanguageSwitch";

type PublicCase = components["schemas"]["PublicCase"];
type Receipt = components["schemas"]["IntakeReceipt"];

// the fields in the order a reader meets them: the first the API names gets the focus
const ORDER = ["name", "email", "phone", "address", "topic", "subject", "description"] as const;
const CHANNELS = [
  ["email", "contactByEmail"],
  ["phone", "contactByPhone"],
  ["post", "contactByPost"],
] as const satisfies readonly (readonly [PublicCase["channel"], MessageKey])[];

export function CaseFormPage({ embedded = false }: { embedded?: boolean }) {
  const t = useT();
  const { setLanguage } = useContext(LanguageContext);
  const [params] = useSearchParams();
  const asked = params.get("lang");
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [round, setRound] = useState(0); // a new form after a receipt starts empty

  // the party's page says which language its embedded form speaks
  useEffect(() => {
    if (asked === "nl" || asked === "en") setLanguage(asked);
  }, [asked, setLanguage]);

  return (
    <main className={embedded ? "public embed" : "public"}>
      {!embedded && (
        <header className="public-header">
          <span className="brand">{t("appName")}</span>
          <LanguageSwitch />
        </header>
      )}
      {receipt ? (
        <ReceiptView
          receipt={receipt}
          onAgain={() => {
            setReceipt(null);
            setRound(round + 1);
          }}
        />
      ) : (
        <CaseForm key={round} onSent={setReceipt} />
      )}
      {embedded && <LanguageSwitch />}
    </main>
  );
}

function ReceiptView({ receipt, onAgain }: { receipt: Receipt; onAgain: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="receipt-title" className="receipt">
      <h1 id="receipt-title" tabIndex={-1} ref={heading}>
        {t("caseReceived")}
      </h1>
      <p role="status">{receipt.message}</p>
      <p>
        {t("caseNumber")}: <strong data-testid="case-reference">{receipt.reference}</strong>
      </p>
      <p>{t("caseReceivedHelp")}</p>
      <button type="button" onClick={onAgain}>
        {t("anotherCase")}
      </button>
    </section>
  );
}

function CaseForm({ onSent }: { onSent: (receipt: Receipt) => void }) {
  const t = useT();
  const { language } = useContext(LanguageContext);
  const formId = useId();
  const [values, setValues] = useState({
    name: "",
    email: "",
    phone: "",
    address: "",
    topic: "",
    subject: "",
    description: "",
    website: "",
  });
  const [channel, setChannel] = useState<PublicCase["channel"]>("email");
  const [followUp, setFollowUp] = useState(false);
  const [share, setShare] = useState(false);
  const topics = useQuery({
    queryKey: ["case-topics"],
    queryFn: () => unwrap(api.GET("/api/public/case-topics")),
    staleTime: Infinity,
  });
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/public/cases", {
          body: {
            ...values,
            language,
            channel,
            follow_up_consent: followUp,
            share_with_agencies: share,
          },
        }),
      ),
    onSuccess: onSent,
  });
  const errors = fieldErrors(send.error);
  const form = useRef<HTMLFormElement>(null);

  // after a refusal the first field that needs attention gets the focus
  useEffect(() => {
    const first = ORDER.find((key) => errors[key]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [send.error]);

  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate();
  }

  const set = (key: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues({ ...values, [key]: event.target.value });

  // each field says whether it is required, and shows the API's message for it, tied to the
  // input for screen readers
  const field = (
    key: (typeof ORDER)[number],
    label: MessageKey,
    input: ReactElement<Record<string, unknown>>,
    { required = true, help }: { required?: boolean; help?: MessageKey } = {},
  ) => {
    const inputId = `${formId}-${key}`;
    const errorId = `${inputId}-error`;
    const helpId = `${inputId}-help`;
    const described = [help ? helpId : "", errors[key] ? errorId : ""].filter(Boolean).join(" ");
    return (
      <div className="field">
        <label htmlFor={inputId}>
          {t(label)}
          {required && <span aria-hidden="true"> *</span>}
        </label>
        {help && (
          <small id={helpId} className="help">
            {t(help)}
          </small>
        )}
        {cloneElement(input, {
          id: inputId,
          name: key,
          value: values[key],
          onChange: set(key),
          "aria-required": required || undefined,
          "aria-invalid": errors[key] ? true : undefined,
          "aria-describedby": described || undefined,
        })}
        {errors[key] && (
          <small className="error" id={errorId}>
            {errors[key]}
          </small>
        )}
      </div>
    );
  };

  return (
    <>
      <h1>{t("caseFormTitle")}</h1>
      <p>{t("caseFormIntro")}</p>
      <p>{t("caseFormRequired")}</p>
      <form ref={form} className="case-form" onSubmit={submit} noValidate aria-label={t("caseFormLabel")}>
        <fieldset>
          <legend>{t("aboutYou")}</legend>
          {field("name", "yourName", <input type="text" autoComplete="name" />)}
          {field("email", "yourEmail", <input type="email" autoComplete="email" />)}
          {field("phone", "yourPhone", <input type="tel" autoComplete="tel" />, {
            required: false,
          })}
          {field("address", "yourAddress", <input type="text" autoComplete="street-address" />, {
            help: "yourAddressHelp",
          })}
        </fieldset>
        <fieldset>
          <legend>{t("yourCase")}</legend>
          {field(
            "topic",
            "caseTopic",
            <select>
              <option value="">{t("chooseTopic")}</option>
              {(topics.data ?? []).map((topic) => (
                <option key={topic.code} value={topic.code}>
                  {topic.label[language] ?? topic.code}
                </option>
              ))}
            </select>,
          )}
          <ErrorMessage error={topics.error} />
          {field("subject", "caseSubject", <input type="text" />)}
          {field("description", "caseDescription", <textarea rows={6} />, {
            help: "caseDescriptionHelp",
          })}
        </fieldset>
        <fieldset>
          <legend>{t("yourChoices")}</legend>
          <fieldset className="channels">
            <legend>{t("contactBy")}</legend>
            {CHANNELS.map(([value, word]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="channel"
                  value={value}
                  checked={channel === value}
                  onChange={() => setChannel(value)}
                />{" "}
                {t(word)}
              </label>
            ))}
          </fieldset>
          <label>
            <input type="checkbox" checked={followUp} onChange={(e) => setFollowUp(e.target.checked)} />{" "}
            {t("followUpConsent")}
          </label>
          <label>
            <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} />{" "}
            {t("shareConsent")}
          </label>
        </fieldset>
        {/* for bots only: off screen, out of the tab order and hidden from screen readers */}
        <div className="honeypot" aria-hidden="true">
          <label htmlFor={`${formId}-website`}>{t("honeypot")}</label>
          <input
            id={`${formId}-website`}
            type="text"
            name="website"
            tabIndex={-1}
            autoComplete="off"
            value={values.website}
            onChange={set("website")}
          />
        </div>
        <ErrorMessage error={send.error} fallback="sendFailed" />
        <p>
          <button type="submit" disabled={send.isPending}>
            {send.isPending ? t("sendingCase") : t("sendCase")}
          </button>
        </p>
      </form>
    </>
  );
}
