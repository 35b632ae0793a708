// Add a person, or change one: names, contact points, address, support and roles.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactElement } from "react";
import { cloneElement } from "react";
import { useNavigate } from "react-router-dom";
import { api, type Person } from "../api/client";
import { fieldErrors, PEOPLE_KEY, personKey } from "../api/people";
import { unwrap } from "../api/query";
import { ErrorMessage } from "../components/QueryStatus";
import { useT } from "../i18n";

function list(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function addressLine(person: Person | undefined): string {
  if (!person) return "";
  return person.address.raw;
}

export function PersonForm({ person, onSaved }: { person?: Person; onSaved?: (p: Person) => void }) {
  const t = useT();
  const navigate = useNavigate();
  const [firstName, setFirstName] = useState(person?.first_name ?? "");
  const [infix, setInfix] = useState(person?.infix ?? "");
  const [lastName, setLastName] = useState(person?.last_name ?? "");
  const [emails, setEmails] = useState((person?.emails ?? []).join(", "));
  const [phones, setPhones] = useState((person?.phones ?? []).join(", "));
  const [address, setAddress] = useState(addressLine(person));
  const [language, setLanguage] = useState<"nl" | "en">(person?.language === "en" ? "en" : "nl");
  const [birth, setBirth] = useState(person?.date_of_birth ?? "");
  const [support, setSupport] = useState(person?.support_level ? String(person.support_level) : "");
  const [votedForUs, setVotedForUs] = useState(person?.voted_for_us ?? false);
  const [volunteer, setVolunteer] = useState(person?.is_volunteer ?? false);
  const [ambassador, setAmbassador] = useState(person?.is_ambassador ?? false);
  const [tags, setTags] = useState((person?.tags ?? []).join(", "));
  const [doNotContact, setDoNotContact] = useState(person?.do_not_contact ?? false);
  const queryClient = useQueryClient();
  const formId = useId();
  const save = useMutation({
    mutationFn: (): Promise<Person> => {
      const body = {
        first_name: firstName,
        infix,
        last_name: lastName,
        emails: list(emails),
        phones: list(phones),
        address: address || null,
        language,
        date_of_birth: birth || null,
        support_level: support ? Number(support) : null,
        voted_for_us: votedForUs,
        is_volunteer: volunteer,
        is_ambassador: ambassador,
        tags: list(tags),
      };
      return person
        ? unwrap(
            api.PATCH("/api/people/{person_id}", {
              params: { path: { person_id: person.id } },
              body: { ...body, do_not_contact: doNotContact },
            }),
          )
        : unwrap(api.POST("/api/people", { body: { ...body, source: "staff" } }));
    },
    onSuccess: async (saved) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: personKey(saved.id) }),
        queryClient.invalidateQueries({ queryKey: PEOPLE_KEY }),
      ]);
      if (onSaved) onSaved(saved);
      else navigate(`/people/${saved.id}`);
    },
  });
  const errors = fieldErrors(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  // each field shows the API's message for it, tied to the input for screen readers
  const field = (key: string, label: string, input: ReactElement<Record<string, unknown>>) => {
    const errorId = `${formId}-${key}-error`;
    return (
      <label>
        {label}
        {cloneElement(input, errors[key] ? { "aria-invalid": true, "aria-describedby": errorId } : {})}
        {errors[key] && (
          <small className="error" id={errorId}>
            {errors[key]}
          </small>
        )}
      </label>
    );
  };

  return (
    <form className="person-form" onSubmit={submit} aria-label={person ? t("editPerson") : t("newPerson")}>
      {field("first_name", t("firstName"), <input value={firstName} onChange={(e) => setFirstName(e.target.value)} />)}
      {field("infix", t("infix"), <input value={infix} onChange={(e) => setInfix(e.target.value)} />)}
      {field("last_name", t("lastName"), <input value={lastName} onChange={(e) => setLastName(e.target.value)} />)}
      {field("emails", t("emails"), <input value={emails} onChange={(e) => setEmails(e.target.value)} />)}
      {field("phones", t("phones"), <input value={phones} onChange={(e) => setPhones(e.target.value)} />)}
      {field(
        "address",
        t("address"),
        <input value={address} placeholder={t("addressPlaceholder")} onChange={(e) => setAddress(e.target.value)} />,
      )}
      {field(
        "language",
        t("language"),
        <select value={language} onChange={(e) => setLanguage(e.target.value as "nl" | "en")}>
          <option value="nl">{t("language_nl")}</option>
          <option value="en">{t("language_en")}</option>
        </select>,
      )}
      {field("date_of_birth", t("dateOfBirth"), <input type="date" value={birth} onChange={(e) => setBirth(e.target.value)} />)}
      {field(
        "support_level",
        t("supportLevel"),
        <select value={support} onChange={(e) => setSupport(e.target.value)}>
          <option value="">–</option>
          {[1, 2, 3, 4, 5].map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>,
      )}
      {field("tags", t("tags"), <input value={tags} onChange={(e) => setTags(e.target.value)} />)}
      <fieldset>
        <label>
          <input type="checkbox" checked={votedForUs} onChange={(e) => setVotedForUs(e.target.checked)} /> {t("votedForUs")}
        </label>
        <label>
          <input type="checkbox" checked={volunteer} onChange={(e) => setVolunteer(e.target.checked)} /> {t("role_volunteer")}
        </label>
        <label>
          <input type="checkbox" checked={ambassador} onChange={(e) => setAmbassador(e.target.checked)} /> {t("role_ambassador")}
        </label>
        {person && (
          <label>
            <input type="checkbox" checked={doNotContact} onChange={(e) => setDoNotContact(e.target.checked)} /> {t("doNotContact")}
          </label>
        )}
      </fieldset>
      <ErrorMessage error={save.error} fallback="saveFailed" />
      <button type="submit" disabled={save.isPending}>
        {person ? t("save") : t("addPerson")}
      </button>
    </form>
  );
}

export function NewPersonPage() {
  const t = useT();
  return (
    <section>
      <h1>{t("newPerson")}</h1>
      <PersonForm />
    </section>
  );
}
