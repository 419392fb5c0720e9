import type { ReasonCode, Verdict } from './diagnosisTypes';

/** One Mac on a reminder card: what it is, what is wrong, and what the person should do. */
export interface ReminderCardMac {
  computerId: string;
  name: string;
  serialNumber: string | null;
  verdictLabel: string;
  headline: string;
  steps: { label: string; fix: string }[];
  /**
   * The verdict and the person's reasons as codes, so the card can be written in the
   * recipient's language (the English `verdictLabel`/`headline`/`steps` serve older rows).
   */
  verdict?: Verdict;
  reasons?: { code: ReasonCode; level: 'problem' | 'warning'; who: 'user' | 'it' }[];
  /** The registration policy in Self Service (`jamfselfservice://…`), on a device card's *Send the user the fix*. */
  selfServiceUrl?: string;
}
