import type { AuditLogCardModel } from './auditLogCardModel';
import type { CaAuditCardModel } from './caAuditCardModel';
import type { CampaignConfirmModel, CampaignListModel, CampaignProgressModel } from './campaignCardModels';
import type { CampaignResendConfirmModel } from './campaignResendConfirmModel';
import type { ContainerStyle, Fact, TextColor } from './cardParts';
import type { ConnectorAlertCardModel } from './connectorAlertCardModel';
import type { ConnectorCardModel } from './connectorCardModel';
import type { ConnectorRecoveredCardModel } from './connectorRecoveredCardModel';
import type { DeviceCardModel } from './deviceCardModel';
import type { DropAlertCardModel } from './dropAlertCardModel';
import type { EndUserMenuModel } from './endUserMenuModel';
import type { EscalationCardModel } from './escalationCardModel';
import type { FleetBuildingCardModel } from './fleetBuildingCardModel';
import type { OnboardPlanCardModel } from './onboardPlanCardModel';
import type { ReminderCardModel } from './reminderCardModel';
import type { RemediationCardModel } from './remediationCardModel';
import type { RemediationBatchCardModel } from './remediationBatchCardModel';
import type { RolloutCardModel } from './rolloutCardModel';
import type { SetupCheckCardModel } from './setupCheckCardModel';
import type { StatusCardModel } from './statusCardModel';
import type { ThankYouCardModel } from './thankYouCardModel';
import type { TroubleshootCardModel } from './troubleshootCardModel';
import type { WebhookSetupCardModel } from './webhookSetupCardModel';
import type { WelcomeCardModel } from './welcomeCardModel';

/** The `notice` template's model: one coloured line of news, a refusal or a confirmation. */
export interface NoticeModel {
  style: ContainerStyle;
  title: string;
  text: string;
}

/** The `unknownCommand` template's model (an admin's typo, with the closest command). */
export interface UnknownCommandModel {
  title: string;
  understood: string;
  /** The closest command's name, or '' for none. */
  suggestion: string;
  suggestionExample: string;
  helpHint: string;
  /** The closest commands as buttons that send `value` as if typed (imBack). */
  buttons: readonly { title: string; value: string }[];
}

/** The `help` template's model: the commands this caller may run. */
export interface HelpCardModel {
  title: string;
  intro: string;
  roleLabel: string;
  /**
   * `example`, when not '': a button that runs it (imBack) when `runnable` (it names nothing of
   * one tenant's, e.g. `rollout`), else shown as text to adapt ("Try: check device <serial>").
   */
  commands: readonly {
    usage: string;
    summary: string;
    example: string;
    runnable: boolean;
    /** The example as text to adapt, when it is not `runnable` ('' otherwise). */
    tryExample: string;
  }[];
  footer: string;
}

/** The `devicePickList` template's model: several Macs matched, pick one. */
export interface DevicePickListModel {
  title: string;
  intro: string;
  choices: readonly {
    name: string;
    details: string;
    verdictLabel: string;
    verdictColor: TextColor;
    /** Sent back by the choice's button. */
    computerId: string;
  }[];
  more: string;
}

/** The `deviceNotFound` template's model: what was searched, near misses, Entra-only devices. */
export interface DeviceNotFoundModel {
  title: string;
  searched: string;
  notice: string;
  suggestions: readonly { name: string; computerId: string }[];
  entraOnlyTitle: string;
  entraOnly: readonly Fact[];
  hint: string;
}

/** The `error` template's model. */
export interface ErrorCardModel {
  title: string;
  what: string;
  tryThis: string;
  /** "What to try:", in the reader's language. */
  tryLabel: string;
  /** "Reference: …", to find the log line. */
  reference: string;
}

/**
 * Every template in `/cards`, by name, with the view model it is filled from: `renderCard`
 * takes a name from here, so a wrong model or an unknown template fails to compile.
 */
export interface CardModels {
  auditLog: AuditLogCardModel;
  caAudit: CaAuditCardModel;
  campaignConfirm: CampaignConfirmModel;
  campaignList: CampaignListModel;
  campaignProgress: CampaignProgressModel;
  campaignResendConfirm: CampaignResendConfirmModel;
  connectorAlert: ConnectorAlertCardModel;
  connectorRecovered: ConnectorRecoveredCardModel;
  connectorStatus: ConnectorCardModel;
  deviceCard: DeviceCardModel;
  deviceNotFound: DeviceNotFoundModel;
  devicePickList: DevicePickListModel;
  dropAlert: DropAlertCardModel;
  endUserMenu: EndUserMenuModel;
  error: ErrorCardModel;
  escalationCard: EscalationCardModel;
  fleetBuilding: FleetBuildingCardModel;
  help: HelpCardModel;
  notice: NoticeModel;
  onboardPlan: OnboardPlanCardModel;
  reminderCard: ReminderCardModel;
  remediation: RemediationCardModel;
  remediationBatch: RemediationBatchCardModel;
  rolloutCard: RolloutCardModel;
  setupCheck: SetupCheckCardModel;
  statusCard: StatusCardModel;
  thankYou: ThankYouCardModel;
  troubleshootCard: TroubleshootCardModel;
  unknownCommand: UnknownCommandModel;
  webhookSetup: WebhookSetupCardModel;
  welcome: WelcomeCardModel;
}

/** A template's name. */
export type CardName = keyof CardModels;

/** Every name once: the compiler rejects a missing or an extra one. */
const NAMES: { readonly [K in CardName]: true } = {
  auditLog: true,
  caAudit: true,
  campaignConfirm: true,
  campaignList: true,
  campaignProgress: true,
  campaignResendConfirm: true,
  connectorAlert: true,
  connectorRecovered: true,
  connectorStatus: true,
  deviceCard: true,
  deviceNotFound: true,
  devicePickList: true,
  dropAlert: true,
  endUserMenu: true,
  error: true,
  escalationCard: true,
  fleetBuilding: true,
  help: true,
  notice: true,
  onboardPlan: true,
  reminderCard: true,
  remediation: true,
  remediationBatch: true,
  rolloutCard: true,
  setupCheck: true,
  statusCard: true,
  thankYou: true,
  troubleshootCard: true,
  unknownCommand: true,
  webhookSetup: true,
  welcome: true,
};

/** The template names at run time, for the test that matches them with the files in `/cards`. */
export const CARD_NAMES: readonly CardName[] = Object.keys(NAMES) as CardName[];
