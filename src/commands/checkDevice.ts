import { z } from 'zod';
import { classifyDeviceQuery, MAX_DEVICE_QUERY } from '../compliance/classifyDeviceQuery';
import { UserInputError } from '../errors';
import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';
import { answerDeviceQuery } from './deviceAnswer';
import { AUDIENCE_VERDICTS } from '../broadcasts/selectAudience';
import { OUTCOME_REASON_LABELS } from '../cards/campaignCardModels';
import { diagnoseMac } from '../compliance/diagnoseMac';
import { lookupMacs } from '../lookup/lookupMacs';
import { actorOf } from './remind';

const USAGE_HINT =
  'For example: **check device C02DEMO0004**, **check device Megan’s MacBook Air** or **check device megan.bowen@jamfdemo.example**.';

/** `check device <serial | name | device id | user>`: the diagnosis of one Mac, or a pick list. */
export const checkDeviceCommand: Command<Services> = {
  name: 'check device',
  aliases: ['check mac', 'check computer'],
  audience: 'admin',
  summary: "Why a Mac is or isn't compliant, and what fixes it.",
  usage: 'check device <serial | computer name | Entra device id | user e-mail>',
  examples: ['check device C02DEMO0004', 'check device megan.bowen@jamfdemo.example'],
  async run(ctx) {
    const query = classifyDeviceQuery(ctx.args);
    if (!query) throw new UserInputError('Which Mac should I check?', USAGE_HINT);
    if (query.value.length > MAX_DEVICE_QUERY) {
      throw new UserInputError(
        `That is ${query.value.length} characters; serial numbers, names and e-mail addresses are shorter than ${MAX_DEVICE_QUERY}.`,
        USAGE_HINT,
      );
    }
    await ctx.reply({ card: await answerDeviceQuery(query, ctx.services, ctx.now()) });
  },
};

const computerData = z.object({ computerId: z.string().regex(/^\d{1,12}$/, 'a Jamf computer id') });

function computerIdOf(data: Record<string, unknown>): string {
  const parsed = computerData.safeParse(data);
  if (!parsed.success) throw new UserInputError('That button did not say which Mac to check.', USAGE_HINT);
  return parsed.data.computerId;
}

/** Answers with one Mac's card from live data; the card replaces the one the button is on. */
function deviceCardAction(verb: string): CardAction<Services> {
  return {
    verb,
    audience: 'admin',
    schema: computerData,
    async run(ctx) {
      const query = { kind: 'jamf-id' as const, value: computerIdOf(ctx.data) };
      return { card: await answerDeviceQuery(query, ctx.services, ctx.now()) };
    },
  };
}

/** "Check" on a pick list or a suggestion: that Mac's card, in place. */
export const deviceCheckAction = deviceCardAction('device.check');

/** "Refresh" on a device card: diagnose again and update the card in place. */
export const deviceRefreshAction = deviceCardAction('device.refresh');

/** How long "Remind user" waits for the reminder's outcome before answering "queued". */
const REMIND_WAIT_MS = 4_000;

/**
 * "Remind user" on a device card: that one person gets the reminder now, through the same
 * outbox, re-check and frequency cap as a campaign. Answers with the outcome when it is known
 * within a few seconds, else that it is on its way.
 */
export const deviceRemindAction: CardAction<Services> = {
  verb: 'device.remind',
  audience: 'admin',
  schema: computerData,
  async run(ctx) {
    const service = ctx.services.broadcasts;
    if (!service) return { message: 'Reminders are not set up in this bot.' };
    const computerId = computerIdOf(ctx.data);
    const lookup = await lookupMacs({ kind: 'jamf-id', value: computerId }, ctx.services);
    const failure = lookup.failures[0];
    if (failure) throw failure.error;
    const record = lookup.records[0];
    if (!record) return { message: 'That Mac is no longer in Jamf Pro.' };
    if (!record.user)
      return { message: `${record.jamf.name} has no user in Entra ID, so there is nobody to remind.` };
    const d = diagnoseMac(record, ctx.services.config.criteria, ctx.now());
    if (!AUDIENCE_VERDICTS.all.includes(d.verdict)) {
      return {
        message: `${record.jamf.name} needs nothing from its user right now (${d.verdict.replace(/_/g, ' ')}).`,
      };
    }
    const who = record.user.displayName ?? record.user.userPrincipalName;
    const campaign = await service.remindOne(
      {
        recipientId: record.user.id,
        name: record.user.displayName,
        upn: record.user.userPrincipalName,
        macs: [
          { computerId, name: record.jamf.name, serialNumber: record.jamf.serialNumber, verdict: d.verdict },
        ],
      },
      actorOf(ctx.caller),
    );
    const until = Date.now() + REMIND_WAIT_MS;
    while (Date.now() < until) {
      const [row] = await ctx.services.store.listOutbox(campaign.id, { limit: 1 });
      if (row?.state === 'sent') return { message: `Reminder sent to ${who}.` };
      if (row?.state === 'failed' || row?.state === 'skipped') {
        const why = OUTCOME_REASON_LABELS[row.reason ?? ''] ?? row.reason ?? 'unknown';
        return { message: `${who} was not reminded: ${why.toLowerCase()}.` };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { message: `The reminder to ${who} is on its way (campaign ${campaign.id}).` };
  },
};
