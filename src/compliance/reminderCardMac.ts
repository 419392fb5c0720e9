/** One Mac on a reminder card: what it is, what is wrong, and what the person should do. */
export interface ReminderCardMac {
  computerId: string;
  name: string;
  serialNumber: string | null;
  verdictLabel: string;
  headline: string;
  steps: { label: string; fix: string }[];
  /** The registration policy in Self Service (`jamfselfservice://…`), on a device card's *Send the user the fix*. */
  selfServiceUrl?: string;
}
