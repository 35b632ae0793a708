// Purposes down, channels across: the consent grid staff read and supporters fill in.
import type { ReactNode } from "react";
import { useT, type MessageKey } from "./i18n";

export const PURPOSES = ["newsletter", "fundraising", "surveys", "casework_followup"] as const;
export const CHANNELS = ["email", "post", "phone", "sms"] as const;
export type Purpose = (typeof PURPOSES)[number];
export type Channel = (typeof CHANNELS)[number];

export function ConsentGrid({
  label,
  cell,
}: {
  label?: string;
  cell: (purpose: Purpose, channel: Channel, name: string) => ReactNode;
}) {
  const t = useT();
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th />
          {CHANNELS.map((c) => (
            <th key={c}>{t(`channel_${c}` as MessageKey)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PURPOSES.map((p) => (
          <tr key={p}>
            <th>{t(`purpose_${p}` as MessageKey)}</th>
            {CHANNELS.map((c) => cell(p, c, `${t(`purpose_${p}` as MessageKey)}: ${t(`channel_${c}` as MessageKey)}`))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
