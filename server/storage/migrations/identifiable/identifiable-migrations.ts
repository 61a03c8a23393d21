import type { Migration } from 'kysely';
import { partOneResponse } from './0001-part-one-response.js';
import { respondentJourney } from './0002-respondent-journey.js';
import { staffAccounts } from './0003-staff-accounts.js';
import { waves } from './0004-waves.js';
import { textRelease } from './0005-text-release.js';
import { rateLimits } from './0006-rate-limits.js';
import { dataVersion } from './0007-data-version.js';
import { signInDevices } from './0008-sign-in-devices.js';
import { partTwoReceipt } from './0009-part-two-receipt.js';
import { waveClosingDate } from './0010-wave-closing-date.js';
import { publishedDefinitions } from './0011-published-definitions.js';
import { definitionDrafts } from './0012-definition-drafts.js';
import { invitationsByEmail } from './0013-invitations-by-email.js';
import { privacyNotice } from './0014-privacy-notice.js';
import { waveRetention } from './0015-wave-retention.js';

/** In order; names are permanent once released. */
export const identifiableMigrations: Record<string, Migration> = {
  '0001-part-one-response': partOneResponse,
  '0002-respondent-journey': respondentJourney,
  '0003-staff-accounts': staffAccounts,
  '0004-waves': waves,
  '0005-text-release': textRelease,
  '0006-rate-limits': rateLimits,
  '0007-data-version': dataVersion,
  '0008-sign-in-devices': signInDevices,
  '0009-part-two-receipt': partTwoReceipt,
  '0010-wave-closing-date': waveClosingDate,
  '0011-published-definitions': publishedDefinitions,
  '0012-definition-drafts': definitionDrafts,
  '0013-invitations-by-email': invitationsByEmail,
  '0014-privacy-notice': privacyNotice,
  '0015-wave-retention': waveRetention,
};
